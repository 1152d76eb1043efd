// `fleet add` reading in worker threads: what a thread reads equals what this thread reads, the inventory ends the same
// on both databases, a failed read is recorded as in-thread; a first large add into SQLite builds the component index
// at the end, and a store opened on an inventory whose add was interrupted builds it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { backends, buildFixtures, fleetStore, tmp } from './helpers.ts';

/** A CycloneDX 1.6 SBOM of app `svc-<i>` with `n` npm packages, some versions varied by i (bcrypt in every third). */
function sbom(i: number, n: number): string {
  const components = Array.from({ length: n }, (_, k) => {
    const version = `1.${k}.${k % 4 === i % 4 ? i : 0}`;
    const purl = `pkg:npm/pkg-${k}@${version}`;
    return {
      type: 'library',
      'bom-ref': purl,
      name: `pkg-${k}`,
      version,
      purl,
      scope: k % 7 === 0 ? 'optional' : 'required',
      licenses: [{ license: { id: 'MIT' } }],
      evidence: { occurrences: [{ location: 'app/package-lock.json' }] },
    };
  });
  if (i % 3 === 0) {
    const purl = `pkg:npm/bcrypt@5.0.${i % 2}`;
    components.push({ type: 'library', 'bom-ref': purl, name: 'bcrypt', version: `5.0.${i % 2}`, purl } as (typeof components)[number]);
  }
  return JSON.stringify({
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    version: 1,
    metadata: { timestamp: '2026-01-02T03:04:05Z', component: { type: 'application', name: `svc-${i}` } },
    components,
  });
}

function fleetFolder(count: number, perSbom: number): string {
  const dir = join(tmp(), 'fleet');
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `org-${i % 4}`);
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `svc-${i}.cdx.json`), sbom(i, perSbom));
  }
  // not JSON: read and refused in the thread, recorded as failed
  writeFileSync(join(dir, 'org-0', 'broken.cdx.json'), '{"bomFormat": "CycloneDX", ');
  return dir;
}

test('a reading thread returns what this thread reads; a thread that cannot parse a file reports why', async () => {
  const dir = fleetFolder(6, 30);
  const { startReader } = await import('../../src/fleet/ingest/read-pool.ts');
  const { identify } = await import('../../src/fleet/ingest/read-target.ts');
  const here = await startReader(0, { tmpDir: tmp() });
  const threads = await startReader(2, { tmpDir: tmp() });
  try {
    assert.is(threads.threads(), 2);
    for (const name of ['org-0/svc-0.cdx.json', 'org-1/svc-5.cdx.json']) {
      const t = { path: join(dir, name), kind: 'sbom' as const };
      const a = await identify(t);
      const b = await identify(t);
      // the bytes go to the thread without a copy: the two reads get their own
      const [x, y] = await Promise.all([here.read(t, a.digest, a.file), threads.read(t, b.digest, b.file)]);
      assert.equal(y, x);
      assert.is(x.record.packed.purls.length, x.record.componentCount);
      assert.ok(
        x.record.packed.purls.every((p, i, all) => i === 0 || all[i - 1]! < p),
        'sorted by purl',
      );
    }
    const broken = { path: join(dir, 'org-0', 'broken.cdx.json'), kind: 'sbom' as const };
    const id = await identify(broken);
    await threads.read(broken, id.digest, id.file).then(
      () => assert.unreachable('a broken file was read'),
      (e: Error) => assert.match(e.message, /broken\.cdx\.json: not JSON/),
    );
    assert.is(threads.threads(), 2, 'an unreadable file does not stop a thread');
  } finally {
    await threads.close();
    await here.close();
  }
});

test('droplets read in a thread as here: a signed SBOM verified with the key, a droplet without one captured', async () => {
  const fx = await buildFixtures();
  const { startReader } = await import('../../src/fleet/ingest/read-pool.ts');
  const { identify } = await import('../../src/fleet/ingest/read-target.ts');
  const opts = { tmpDir: tmp(), publicKey: readFileSync(fx.pub) };
  const here = await startReader(0, opts);
  const threads = await startReader(1, opts);
  try {
    const seen = [];
    for (const file of [fx.helloV1, fx.billing]) {
      const t = { path: file, kind: 'droplet' as const };
      const { digest } = await identify(t);
      const [x, y] = await Promise.all([here.read(t, digest), threads.read(t, digest)]);
      assert.equal(y, x);
      seen.push([x.record.sbomSource, x.record.signature, x.record.app.name]);
    }
    assert.equal(seen, [
      ['droplet-sbom', 'verified', 'hello'],
      ['captured', 'missing', 'billing'],
    ]);
    assert.is(threads.threads(), 1);
  } finally {
    await threads.close();
    await here.close();
  }
});

for (const backend of backends()) {
  test(`[${backend.name}] add with reading threads ends as add in this thread; the failed file is recorded`, async () => {
    const dir = fleetFolder(150, 40);
    const { FleetStore, openDb, parseDbLocation } = await fleetStore();
    const { addTargets } = await import('../../src/fleet/ingest/add.ts');
    const { queryInventory } = await import('../../src/fleet/query.ts');
    const results = [];
    for (const readThreads of [0, 2]) {
      const { db, cleanup } = await backend.fresh();
      const s = await FleetStore.open(await openDb(parseDbLocation(db, tmp())), { now: () => '2026-01-01T00:00:00.000Z' });
      try {
        // small batches: several transactions, one written while the next fills
        const events = await addTargets(s, [dir], { tmpDir: tmp(), readThreads, batchSize: 16 });
        const byStatus = (st: string) => events.filter((e) => e.status === st).length;
        assert.equal([byStatus('added'), byStatus('unchanged'), byStatus('failed')], [150, 0, 1]);
        assert.match(events.find((e) => e.status === 'failed')!.reason!, /not JSON/);
        const again = await addTargets(s, [dir], { tmpDir: tmp(), readThreads });
        assert.equal([again.filter((e) => e.status === 'unchanged').length, again.filter((e) => e.status === 'failed').length], [150, 1]);
        const hits = await queryInventory(s, 'pkg:npm/bcrypt', '<5.0.1');
        const links = await s.db.all<Record<string, unknown>>(
          `SELECT d.digest, c.purl, dc.scope, dc.paths FROM droplet_components dc
           JOIN droplets d ON d.id = dc.droplet_id JOIN components c ON c.id = dc.component_id ORDER BY d.digest, c.purl`,
        );
        const failures = await s.failures();
        results.push({
          counts: await s.counts(),
          bcrypt: hits.map((h) => `${h.app} ${h.version}`),
          links: links.map((l) => Object.values(l).join(' ')),
          failures: failures.map((f) => [f.source.slice(dir.length), f.attempts]),
        });
      } finally {
        await s.close();
        await cleanup();
      }
    }
    assert.equal(results[1], results[0]);
    assert.is(results[0]!.bcrypt.length, 25, 'svc-0, 6, 12 ...: every sixth app ships bcrypt 5.0.0');
    assert.equal(results[0]!.failures, [['/org-0/broken.cdx.json', 2]]);
    assert.is(results[0]!.counts.droplets, 150);
  });
}

test('[sqlite] a first large add builds the component index at the end; an interrupted one leaves it to the next open', async () => {
  const { FleetStore, openDb, parseDbLocation } = await fleetStore();
  const { LINK_INDEX } = await import('../../src/fleet/schema/migrations.ts');
  const { addTargets } = await import('../../src/fleet/ingest/add.ts');
  const file = join(tmp(), 'fleet.db');
  const open = async () => FleetStore.open(await openDb(parseDbLocation(file, tmp())));
  const hasIndex = async (s: Awaited<ReturnType<typeof open>>) =>
    !!(await s.db.get("SELECT 1 AS x FROM sqlite_master WHERE type = 'index' AND name = ?", [LINK_INDEX.name]));
  const s = await open();
  try {
    // what `fleet add` does before many droplets into an empty inventory, and what it does after
    assert.is(await s.deferLinkIndex(3_000), true);
    assert.is(await hasIndex(s), false);
    await s.ensureIndexes();
    assert.is(await hasIndex(s), true);
    // 2,000 targets (the threshold): dropped, built again when the add ends
    const dir = fleetFolder(2_000, 3);
    const events = await addTargets(s, [dir], { tmpDir: tmp() });
    assert.is(events.filter((e) => e.status === 'added').length, 2_000);
    assert.is(await hasIndex(s), true);
    const plan = await s.db.all<{ detail: string }>('EXPLAIN QUERY PLAN SELECT droplet_id FROM droplet_components WHERE component_id = 5');
    assert.match(plan.map((p) => p.detail).join('\n'), new RegExp(LINK_INDEX.name));
    // not twice what the inventory holds: kept
    assert.is(await s.deferLinkIndex(3_000), false);
    // an add killed after dropping it: the next store opened on the file builds it
    assert.is(await s.deferLinkIndex(10_000), true);
  } finally {
    await s.close();
  }
  const again = await open();
  try {
    assert.is(await hasIndex(again), true);
  } finally {
    await again.close();
  }
});

test.run();
