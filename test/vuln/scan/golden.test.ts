// `bpx scan` output, byte for byte, on real apps (the corpus's Cloud Foundry sample apps and lockfiles) staged into real
// droplets: stdout and stderr of text, --json and --sarif runs against committed golden files written by the sequential
// scanner before targets were scanned in parallel, so that neither --jobs nor the prebuilt OSV index changes a byte.
// UPDATE_GOLDEN=1 rewrites the golden files from the current code (then review the diff).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpus, needCorpus } from '../corpus.ts';
import { cli, dropletTree, stagedDroplet, tempDir } from './helpers.ts';
import { type Run, ensureBundle, spawnBpx, spawnBpxAsync } from '../../cli/helpers.ts';
import { writeDroplet } from '../../../src/droplet/write.ts';
import { generateKeyPair } from '../../../src/sbom/sign/keys.ts';

const golden = new URL('./golden/', import.meta.url).pathname;
const osv = join(corpus, 'osv');
const app = (p: string) => join(corpus, 'lockfiles', p);
// signed droplets (verified with --key), unsigned droplets (their SBOM captured again with --key), bare droplets (captured)
const SIGNED = [
  'cf-app/cloudfoundry-samples-cf-ex-composer',
  'cf-app/cloudfoundry-samples-cf-sample-app-rails',
  'npm/firebase-firebase-tools/shrinkwrap-v2',
];
const UNSIGNED = ['cf-app/cloudfoundry-samples-pong_matcher_django', 'npm/cloudfoundry-nodejs-buildpack/shrinkwrap-pre-lockfileVersion'];
const BARE = [
  'cf-app/cloudfoundry-samples-pong_matcher_go',
  'cf-app/cloudfoundry-samples-cf-sample-app-nodejs',
  'npm/typicode-json-server/lockfile-v1',
];

let root = '';

/** `a/b/c` → `c-b` style names that stay short and unique */
const nameOf = (p: string) => p.split('/').slice(-2).reverse().join('-');

test.before(async () => {
  if (!needCorpus()) return;
  root = tempDir('bpx-scan-golden-');
  const fleet = join(root, 'fleet');
  mkdirSync(fleet);
  // a new key pair each run: no output names the key
  const kp = generateKeyPair('ed25519');
  writeFileSync(join(root, 'pub.pem'), kp.publicPem);
  const bp = (i: number) => ({ name: 'nodejs', version: `1.9.${i}`, key: 'nodejs_buildpack' });
  let i = 0;
  for (const a of SIGNED) {
    const d = await stagedDroplet(join(root, 'w', `s${i}`), app(a), bp(i++), kp.privatePem);
    cpSync(d.tgz, join(fleet, `signed-${nameOf(a)}.tgz`));
  }
  for (const a of UNSIGNED) {
    const d = await stagedDroplet(join(root, 'w', `u${i}`), app(a), bp(i++));
    cpSync(d.tgz, join(fleet, `unsigned-${nameOf(a)}.tgz`));
    // its SBOM as a file target too
    cpSync(join(d.dir, 'app', '.bpx', 'sbom.cdx.json'), join(fleet, `${nameOf(a)}.cdx.json`));
    cpSync(join(d.dir, 'app', '.bpx', 'sbom.spdx.json'), join(fleet, `${nameOf(a)}.spdx.json`));
  }
  for (const a of BARE) {
    const tree = dropletTree(join(root, 'w', `b${i}`), app(a), bp(i++));
    await writeDroplet(tree, join(fleet, `bare-${nameOf(a)}.tgz`));
  }
  // an unpacked droplet, and a droplet that cannot be read (its error is part of every output)
  const d = await stagedDroplet(join(root, 'w', 'dir'), app(SIGNED[0]!), bp(i++), kp.privatePem);
  cpSync(d.dir, join(fleet, 'unpacked'), { recursive: true });
  writeFileSync(join(fleet, 'junk.tgz'), 'not gzip at all');
});

test.after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

/** golden file name → the arguments after `bpx scan fleet --db DB` */
export const CASES: Array<[string, string[]]> = [
  ['fleet.txt', []],
  ['fleet.json', ['--json']],
  ['fleet.sarif', ['--sarif']],
  ['fleet-key.txt', ['--key', 'pub.pem']],
  ['fleet-key.json', ['--key', 'pub.pem', '--json', '--fail-on', 'high']],
  ['fleet-key-required.sarif', ['--key', 'pub.pem', '--require-signature', '--sarif']],
];

/** The run as a file: the exit code, stdout, then stderr without the database's age (it grows with the clock). */
export const recordOf = (r: { code: number; out: string; err: string }): string =>
  `exit ${r.code}\n--- stdout\n${r.out}--- stderr\n${r.err.replace(/ \([^()]* old\)/g, ' (… old)')}`;

function same(name: string, got: string, what: string): void {
  const want = readFileSync(join(golden, name), 'utf8');
  if (got === want) return;
  const a = got.split('\n');
  const b = want.split('\n');
  const i = a.findIndex((l, k) => l !== b[k]);
  assert.unreachable(
    `${name} ${what}: differs from the golden file at line ${i + 1}: got ${JSON.stringify(a[i])}, want ${JSON.stringify(b[i])}`,
  );
}

test('bpx scan writes exactly the golden output for each case, one target after another (--jobs 1)', async () => {
  if (!needCorpus()) return;
  const update = process.env.UPDATE_GOLDEN === '1';
  if (update) mkdirSync(golden, { recursive: true });
  for (const [name, args] of CASES) {
    const r = await cli(['scan', 'fleet', '--db', osv, '--jobs', '1', ...args], root);
    const got = recordOf(r).replaceAll(osv, 'OSV');
    if (update) writeFileSync(join(golden, name), got);
    assert.ok(existsSync(join(golden, name)), `${name} is missing (UPDATE_GOLDEN=1 writes it)`);
    same(name, got, '--jobs 1');
  }
});

test('... and the same bytes with targets read on worker threads (the bundle, as installed), from the OSV index too', async () => {
  if (!needCorpus()) return;
  ensureBundle();
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const index = join(root, 'osv.index');
  const built = spawnBpx(['db', 'build', '--osv', osv, '-o', index], root, tmp);
  assert.is(built.code, 0, built.err);
  const runs: Array<Promise<[string, string, Run]>> = [];
  for (const [name, args] of CASES) {
    runs.push(spawnBpxAsync(['scan', 'fleet', '--db', osv, ...args], root, tmp).then((r) => [name, 'default --jobs', r]));
    runs.push(
      spawnBpxAsync(['scan', 'fleet', '--db', index, '--jobs', '3', ...args], root, tmp).then((r) => [name, 'the index, --jobs 3', r]),
    );
  }
  for (const [name, what, r] of await Promise.all(runs)) same(name, recordOf(r).replaceAll(osv, 'OSV').replaceAll(index, 'OSV'), what);
  // every temporary folder was removed
  assert.equal(readdirSync(tmp), []);
});

test.run();
