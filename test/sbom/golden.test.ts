// `bpx sbom` output, byte for byte, on real apps (the catalog's vendored testdata, one per package manager): the whole
// CycloneDX (and for one app SPDX) document against a committed golden file, so that a change of speed changes no byte.
// UPDATE_GOLDEN=1 rewrites the golden files from the current code (then review the diff).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, repoRoot } from '../cli/helpers.ts';

const testdata = (manager: string, app: string) => join(repoRoot, 'test/catalog/managers', manager, 'testdata', app);
const golden = join(repoRoot, 'test/sbom/golden');

/** golden file name → the app folder and the options after `bpx sbom DIR` */
const CASES: Array<[string, string, string[]]> = [
  ['npm-lockfile-v3.cdx.json', testdata('npm', 'lockfile-v3'), []],
  ['npm-lockfile-v3.dev.cdx.json', testdata('npm', 'lockfile-v3'), ['--include-dev']],
  ['npm-lockfile-v3.spdx.json', testdata('npm', 'lockfile-v3'), ['--format', 'spdx']],
  ['yarn-classic-workspaces.cdx.json', testdata('yarn', 'classic-workspaces'), []],
  ['pnpm-lockfile-9.0-workspaces.cdx.json', testdata('pnpm', 'lockfile-9.0-workspaces'), []],
  ['python-requirements.cdx.json', testdata('python', 'requirements'), []],
  ['bundler-rails-app.cdx.json', testdata('bundler', 'rails-app'), []],
  ['composer-lock.cdx.json', testdata('composer', 'composer-lock'), []],
  ['go-mod-vendor.cdx.json', testdata('go', 'go-mod-vendor'), []],
  ['cargo-lock-v4.cdx.json', testdata('cargo', 'cargo-lock-v4'), []],
  ['maven-pom-parent-chain.cdx.json', testdata('maven', 'pom-parent-chain'), []],
  ['gradle-lockfile.cdx.json', testdata('gradle', 'gradle-lockfile'), []],
  ['nuget-packages-lock.cdx.json', testdata('nuget', 'packages-lock'), []],
  // a corrupt lockfile: its issues and the incomplete capture are part of the document
  ['corrupt.cdx.json', join(repoRoot, 'test/catalog/managers/npm/testdata/corrupt'), []],
];

test('bpx sbom writes exactly the golden document for each app', async () => {
  const update = process.env.UPDATE_GOLDEN === '1';
  for (const [name, dir, args] of CASES) {
    const r = await cli(['sbom', dir, ...args]);
    assert.is(r.code, 0, `${name}: ${r.err}`);
    const file = join(golden, name);
    if (update) writeFileSync(file, r.out);
    assert.ok(existsSync(file), `${file} is missing (UPDATE_GOLDEN=1 writes it)`);
    // compared as text first: a failure names the first differing line, not a 100 kB blob
    const want = readFileSync(file, 'utf8');
    if (r.out !== want) {
      const a = r.out.split('\n');
      const b = want.split('\n');
      const i = a.findIndex((l, k) => l !== b[k]);
      assert.unreachable(
        `${name}: differs from the golden file at line ${i + 1}: got ${JSON.stringify(a[i])}, want ${JSON.stringify(b[i])}`,
      );
    }
  }
});

test.run();
