// bpx fleet scan --nvd: the inventory's runtimes (node 20.11.1 of the example buildpack, from a droplet's SBOM and from a
// captured droplet) against NVD data and the Node.js Security WG's list, without opening a droplet again.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type Fixtures, buildFixtures, fleet, repoRoot, tmp } from './helpers.ts';
import { needShared } from '../shared.ts';

const nvd = join(repoRoot, '..', 'shared', 'corpus', 'nvd', 'records');
const wg = join(repoRoot, '..', 'shared', 'corpus', 'nodejs-security-wg', 'vuln', 'core');
let fx: Fixtures | undefined;

test('fleet scan --nvd: who runs a vulnerable Node.js, with fixed-in versions; --osv or --nvd is required', async () => {
  if (!needShared(nvd, 'the NVD corpus') || !needShared(wg, 'the Node.js Security WG files')) return;
  fx = await buildFixtures();
  const cwd = tmp();
  assert.is((await fleet(['fleet', 'add', fx.helloV1, fx.billing], { cwd })).code, 0);
  const r = await fleet(['fleet', 'scan', '--nvd', nvd, '--nvd', wg, '--json'], { cwd });
  assert.is(r.code, 0, r.err);
  assert.match(r.err, /36 with configurations\), 10 Node\.js Security WG advisories/);
  const out = JSON.parse(r.out);
  const who = out.apps
    .flatMap((a: any) =>
      a.findings
        .filter((f: any) => f.name === 'node')
        .map((f: any) => `${a.org ?? '-'}/${a.space ?? '-'}/${a.app} ${f.version} ${f.id} ${f.fixed.join(',')}`),
    )
    .sort();
  assert.equal(who, ['-/-/billing 20.11.1 CVE-2024-27983 20.12.1', 'acme/prod/hello 20.11.1 CVE-2024-27983 20.12.1']);
  // which databases reported each finding is stored with it, as `bpx scan --json` tells it
  const sources = new Set(
    out.apps.flatMap((a: any) => a.findings.filter((f: any) => f.name === 'node').map((f: any) => f.sources.join('+'))),
  );
  assert.equal(
    [...sources],
    ['nodejs-security-wg'],
    'the corpus NVD record of CVE-2024-27983 has no configurations: the Security WG alone names it',
  );
  assert.ok(out.checked >= 1);
  const fail = await fleet(['fleet', 'scan', '--nvd', nvd, '--nvd', wg, '--fail-on', 'high'], { cwd });
  assert.is(fail.code, 1);
  assert.match(fail.out, /CVE-2024-27983/);
  const none = await fleet(['fleet', 'scan'], { cwd });
  assert.is(none.code, 2);
  assert.match(none.err, /--osv DIR .* or --nvd DIR \(NVD data\) is required/);
});

test.run();
