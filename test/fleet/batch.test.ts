// FleetStore.addDroplets (what `fleet add` does, a batch per transaction) leaves the inventory as addDroplet one droplet
// after the other would, on both databases: duplicates in a batch, several droplets of one app, the current one by
// staging time, app fields folded in order, and a batch the database refuses changing nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { FleetStore } from '../../src/fleet/store.ts';
import type { DropletRecord } from '../../src/fleet/types.ts';
import { backends, fleetStore, tmp } from './helpers.ts';

const rec = (
  digest: string,
  app: DropletRecord['app'],
  stagedAt: string | undefined,
  purls: string[],
  extra: Partial<DropletRecord> = {},
): DropletRecord => ({
  digest,
  app,
  ...(stagedAt ? { stagedAt } : {}),
  sbomDigest: `sha256:${digest.slice(-8)}`,
  sbomFormat: 'cyclonedx',
  sbomSource: 'file',
  signature: 'not-checked',
  sourceKind: 'sbom',
  sourcePath: `/fleet/${digest}.cdx.json`,
  complete: true,
  buildpacks: [{ position: 0, key: 'nodejs_buildpack', name: 'nodejs', version: '1.8.20' }],
  components: purls.map((purl) => {
    const [name, version] = purl.slice('pkg:npm/'.length).split('@') as [string, string];
    return {
      purl,
      ecosystem: 'npm',
      name,
      version,
      type: 'library',
      licenses: ['MIT'],
      scope: 'required',
      paths: ['app/package-lock.json'],
    };
  }),
  ...extra,
});

for (const backend of backends()) {
  const t = (name: string, fn: (open: () => Promise<FleetStore>) => Promise<void>) =>
    test(`[${backend.name}] ${name}`, async () => {
      const { db, cleanup } = await backend.fresh();
      const cwd = tmp();
      const { FleetStore, openDb, parseDbLocation } = await fleetStore();
      try {
        await fn(async () => FleetStore.open(await openDb(parseDbLocation(db, cwd)), { now: () => '2026-01-01T00:00:00.000Z' }));
      } finally {
        await cleanup();
      }
    });

  t('a batch ends as one droplet after the other would: duplicates, history, the current one by staging time', async (open) => {
    const s = await open();
    try {
      const hello = { name: 'hello', orgName: 'acme', spaceName: 'prod' };
      const r = await s.addDroplets([
        rec('sha256:aaaa0001', hello, '2026-01-02T00:00:00.000Z', ['pkg:npm/debug@4.3.7', 'pkg:npm/ms@2.1.3']),
        // the same bytes again: unchanged, stored once
        rec('sha256:aaaa0001', { name: 'copy' }, '2026-01-02T00:00:00.000Z', ['pkg:npm/debug@4.3.7', 'pkg:npm/ms@2.1.3']),
        // a newer droplet of hello becomes current; an older one added after it stays history
        rec('sha256:aaaa0002', hello, '2026-01-03T00:00:00.000Z', ['pkg:npm/debug@4.4.0', 'pkg:npm/ms@2.1.3']),
        rec('sha256:aaaa0003', hello, '2026-01-01T00:00:00.000Z', ['pkg:npm/debug@4.3.1']),
        // a component listed twice: one row, every path
        rec('sha256:bbbb0001', { name: 'billing' }, undefined, ['pkg:npm/ms@2.1.3', 'pkg:npm/ms@2.1.3']),
      ]);
      assert.equal(
        r.map((x) => [x.status, x.current]),
        [
          ['added', true],
          ['unchanged', false],
          ['added', true],
          ['added', false],
          ['added', true],
        ],
      );
      assert.is(r[1]!.dropletId, r[0]!.dropletId);
      const c = await s.counts();
      assert.equal([c.apps, c.droplets, c.components, c.links], [2, 4, 4, 6]);
      const cur = await s.db.all<{ name: string; digest: string }>(
        'SELECT a.name, d.digest FROM apps a JOIN droplets d ON d.id = a.current_droplet_id ORDER BY a.name',
      );
      assert.equal(
        cur.map((x) => `${x.name}:${x.digest}`),
        ['billing:sha256:bbbb0001', 'hello:sha256:aaaa0002'],
      );
      // the batch again, and one droplet of it alone: nothing changes
      const again = await s.addDroplets([
        rec('sha256:aaaa0003', hello, undefined, []),
        rec('sha256:bbbb0001', { name: 'billing' }, undefined, []),
      ]);
      assert.equal(
        again.map((x) => [x.status, x.current]),
        [
          ['unchanged', false],
          ['unchanged', true],
        ],
      );
      assert.equal((await s.addDroplet(rec('sha256:aaaa0002', hello, undefined, []))).status, 'unchanged');
      assert.equal(await s.counts(), c);
    } finally {
      await s.close();
    }
  });

  t("an app's fields are folded in record order: the latest name, each other field from the latest droplet knowing it", async (open) => {
    const s = await open();
    try {
      const guid = '6f1c3c1e-0d6a-4d52-9c59-2f7f6e1a9a01';
      await s.addDroplets([
        rec('sha256:cccc0001', { guid, name: 'hello', orgName: 'acme', spaceName: 'dev' }, '2026-01-01T00:00:00.000Z', [
          'pkg:npm/ms@2.1.3',
        ]),
        rec('sha256:cccc0002', { guid, name: 'hello-renamed', spaceName: 'prod', spaceGuid: 'space-1' }, '2026-01-02T00:00:00.000Z', [
          'pkg:npm/ms@2.1.3',
        ]),
      ]);
      const a = await s.db.all<Record<string, unknown>>('SELECT name, org_name, space_name, space_guid FROM apps');
      assert.equal(a, [{ name: 'hello-renamed', org_name: 'acme', space_name: 'prod', space_guid: 'space-1' }]);
    } finally {
      await s.close();
    }
  });

  t('a batch the database refuses changes nothing (all or none)', async (open) => {
    const s = await open();
    try {
      await s.addDroplet(rec('sha256:dddd0001', { name: 'one' }, undefined, ['pkg:npm/ms@2.1.3'], { guid: 'droplet-guid-1' }));
      const before = await s.counts();
      // a second droplet with the same droplet guid (unique): the whole batch is refused
      const refused = await s
        .addDroplets([
          rec('sha256:dddd0002', { name: 'two' }, undefined, ['pkg:npm/debug@4.3.7']),
          rec('sha256:dddd0003', { name: 'three' }, undefined, ['pkg:npm/ms@2.1.3'], { guid: 'droplet-guid-1' }),
        ])
        .then(
          () => undefined,
          (e: Error) => e,
        );
      assert.ok(refused instanceof Error);
      assert.equal(await s.counts(), before);
      // the store still works, and its cache holds no id of the rolled-back insert
      assert.equal((await s.addDroplet(rec('sha256:dddd0002', { name: 'two' }, undefined, ['pkg:npm/debug@4.3.7']))).status, 'added');
      const c = await s.counts();
      assert.equal([c.droplets, c.components, c.links], [2, 2, 2]);
    } finally {
      await s.close();
    }
  });
}

test.run();
