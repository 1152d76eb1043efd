// Two `bpx fleet add` processes filling one inventory at once never duplicate or lose a droplet: PostgreSQL (unique
// constraints, ON CONFLICT, one transaction per droplet) and SQLite (WAL, busy timeout).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Fixtures, backends, buildFixtures, fleetProcess, tmp } from './helpers.ts';
import { fleetStore } from './helpers.ts';

let fx: Fixtures;
let folder: string;
const VARIANTS = 40;

test.before(async () => {
  fx = await buildFixtures();
  // real droplets plus SBOMs of the corpus app with versions varied (distinct files, overlapping components)
  folder = join(tmp(), 'fleet');
  mkdirSync(join(folder, 'sboms'), { recursive: true });
  const doc = JSON.parse(readFileSync(fx.corpusSbom, 'utf8'));
  for (let i = 0; i < VARIANTS; i++) {
    const d = structuredClone(doc);
    d.metadata.component.name = `svc-${i}`;
    for (const [j, c] of (d.components as any[]).entries()) {
      if (!c.purl || j % 5 !== i % 5) continue;
      const v = `${c.version}-fleet.${i}`;
      c.purl = c.purl.replace(`@${c.version}`, `@${v}`);
      c['bom-ref'] = c.purl;
      c.version = v;
    }
    writeFileSync(join(folder, 'sboms', `svc-${i}.cdx.json`), JSON.stringify(d));
  }
  for (const [name, src] of [
    ['hello-v1', fx.helloV1],
    ['hello-v2', fx.helloV2],
    ['billing', fx.billing],
  ] as const) {
    mkdirSync(join(folder, 'droplets', name), { recursive: true });
    writeFileSync(join(folder, 'droplets', name, 'droplet.tgz'), readFileSync(src));
  }
});

for (const backend of backends()) {
  test(`[${backend.name}] two fleet add processes at once: every droplet once, nothing lost`, async () => {
    const { db, cleanup } = await backend.fresh();
    try {
      const cwd = tmp();
      const [a, b] = await Promise.all([
        fleetProcess(['fleet', 'add', folder, '--db', db, '--json'], cwd),
        fleetProcess(['fleet', 'add', folder, '--db', db, '--json'], cwd),
      ]);
      assert.is(a.code, 0, a.err);
      assert.is(b.code, 0, b.err);
      const sa = JSON.parse(a.out).summary;
      const sb = JSON.parse(b.out).summary;
      const total = VARIANTS + 3;
      assert.is(sa.added + sb.added, total, `${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
      assert.is(sa.unchanged + sb.unchanged, total);
      assert.is(sa.failed + sb.failed, 0);
      const { FleetStore, openDb, parseDbLocation } = await fleetStore();
      const s = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
      try {
        const c = await s.counts();
        assert.is(c.droplets, total);
        assert.is(c.apps, VARIANTS + 2, 'hello v1 and v2 are one app');
        assert.is(c.failures, 0);
        const dup = await s.db.all('SELECT purl FROM components GROUP BY purl HAVING COUNT(*) > 1');
        assert.equal(dup, []);
        const links = Number((await s.db.get<{ n: number }>('SELECT SUM(component_count) AS n FROM droplets'))!.n);
        assert.ok(c.links <= links && c.links > 0);
        const current = Number((await s.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM apps WHERE current_droplet_id IS NOT NULL'))!.n);
        assert.is(current, c.apps);
      } finally {
        await s.close();
      }
    } finally {
      await cleanup();
    }
  });
}

for (const backend of backends()) {
  test(`[${backend.name}] an interrupted fleet add leaves whole droplets only; the next run adds the rest`, async () => {
    const { db, cleanup } = await backend.fresh();
    try {
      const cwd = tmp();
      const { spawn } = await import('node:child_process');
      const { distCli } = await import('../lifecycle/stage/helpers.ts');
      const p = spawn(process.execPath, [distCli, 'fleet', 'add', folder, '--db', db], { cwd, stdio: 'ignore' });
      // listened for at once: a fast run may end before the kill below (its 'close' must not be missed)
      const closed = new Promise((r) => p.on('close', r));
      // killed while it works: after the schema exists and some droplets are in
      const { FleetStore, openDb, parseDbLocation } = await fleetStore();
      const started = Date.now();
      for (;;) {
        await new Promise((r) => setTimeout(r, 50));
        try {
          const s = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
          const n = (await s.counts()).droplets;
          await s.close();
          if (n >= 3 || Date.now() - started > 20_000) break;
        } catch {
          // not created yet
        }
      }
      p.kill('SIGKILL');
      await closed;
      const s = await FleetStore.open(await openDb(parseDbLocation(db, cwd)));
      try {
        const partial = await s.db.all(
          'SELECT d.id FROM droplets d WHERE NOT EXISTS (SELECT 1 FROM droplet_components dc WHERE dc.droplet_id = d.id)',
        );
        assert.equal(partial, [], 'no droplet without its components');
        const before = (await s.counts()).droplets;
        const r = await fleetProcess(['fleet', 'add', folder, '--db', db, '--json'], cwd);
        assert.is(r.code, 0, r.err);
        const sum = JSON.parse(r.out).summary;
        assert.is(sum.unchanged, before);
        assert.is(sum.added, VARIANTS + 3 - before);
        assert.is((await s.counts()).droplets, VARIANTS + 3);
      } finally {
        await s.close();
      }
    } finally {
      await cleanup();
    }
  });
}

test.run();
