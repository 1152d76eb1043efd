// bpx fleet scan --osv DIR reads the prebuilt index (bpx db build) as bpx scan --db does: while it is fresh, and the
// records themselves, with a warning, once it is stale.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fleet, tmp } from './helpers.ts';
import { indexedDb } from '../vuln/indexed-db.ts';

test('fleet scan uses a fresh index and passes a stale one over', async () => {
  const cwd = tmp();
  const sbom = {
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    metadata: { component: { type: 'application', name: 'shop' } },
    components: [{ type: 'library', 'bom-ref': 'a', name: 'minimist', version: '1.2.5', purl: 'pkg:npm/minimist@1.2.5' }],
  };
  writeFileSync(join(cwd, 'shop.cdx.json'), JSON.stringify(sbom));
  const db = join(cwd, 'fleet.db');
  const added = await fleet(['fleet', 'add', 'shop.cdx.json', '--db', db], { cwd });
  assert.is(added.code, 0, added.err);
  const osv = await indexedDb(join(cwd, 'osv'), 'GHSA-test-mini-0001', 'minimist', '1.2.6');
  const scan = async () => {
    const r = await fleet(['fleet', 'scan', '--osv', 'osv', '--json', '--db', db], { cwd });
    assert.is(r.code, 0, r.err);
    const apps = JSON.parse(r.out).apps as Array<{ findings: Array<{ id: string }> }>;
    return { ids: apps.flatMap((a) => a.findings.map((f) => f.id)), err: r.err };
  };
  // fixed in 1.2.0 now, but the index (fresh: same size and time) still says 1.2.6: a finding only the index gives
  osv.swap('1.2.0');
  const fresh = await scan();
  assert.equal(fresh.ids, ['GHSA-test-mini-0001']);
  assert.not.match(fresh.err, /not used/);
  osv.touch();
  const stale = await scan();
  assert.equal(stale.ids, []);
  assert.match(stale.err, /warning: osv\/bpx-osv\.index not used \(.*GHSA-test-mini-0001\.json changed\)/);
});

test.run();
