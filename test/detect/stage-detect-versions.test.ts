// End to end: `bpx wrap` a fixture buildpack with builtin:detect-versions, `bpx stage` an app, read result.json.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = new URL('../../', import.meta.url).pathname;
const bpx = join(repo, 'dist/bpx.cjs');
const fixtures = join(repo, 'test/detect/fixtures');
let work: string;

async function wrap(inner: string, name: string): Promise<string> {
  const manifest = join(work, `${name}.yml`);
  await writeFile(
    manifest,
    'version: 1\nextensions:\n  - name: versions\n    uses: builtin:detect-versions\n    at: [detect:after, finalize:after, compile:after]\n',
  );
  const out = join(work, name);
  await run(process.execPath, [bpx, 'wrap', inner, '--manifest', manifest, '-o', out]);
  return out;
}

async function stage(app: string, buildpacks: string[], skipDetect: boolean, out: string) {
  const args = [bpx, 'stage', '--app', app, '--out', out, '--stack', 'cflinuxfs4', ...buildpacks.flatMap((b) => ['--buildpack', b])];
  if (skipDetect) args.push('--skip-detect');
  const r = await run(process.execPath, args, { maxBuffer: 1 << 24 }).catch((e) => e);
  const result = JSON.parse(await readFile(join(out, 'result.json'), 'utf8'));
  return { code: r.code ?? 0, result, stdout: String(r.stdout) };
}

test.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'bpx-dv-'));
});
test.after(async () => {
  await rm(work, { recursive: true, force: true });
});

const EXPECTED = 'nodejs-buildpack=v1.8.2 node=20.18.0 express=4.18.2 body-parser=1.20.2';

test('detect mode: the wrapped detect prints the predicted line; config.yml name carries what was installed', async () => {
  const wrapped = await wrap(join(fixtures, 'buildpacks/nodejs-lite'), 'nodejs');
  const app = join(fixtures, 'apps/express-app');
  const detect = await run(join(wrapped, 'bin/detect'), [app], { env: { ...process.env, CF_STACK: 'cflinuxfs4' } });
  assert.is(detect.stdout.trim(), EXPECTED);
  assert.not.match(detect.stdout.trimEnd(), /\n/);
  const { code, result } = await stage(app, [`nodejs=${wrapped}`], false, join(work, 'out-detect'));
  assert.is(code, 0);
  assert.is(result.lifecycle_metadata.detected_buildpack, EXPECTED);
  assert.is(result.lifecycle_metadata.buildpacks[0].name, EXPECTED);
  assert.is(result.lifecycle_metadata.buildpacks[0].key, 'nodejs');
  assert.is(result.lifecycle_metadata.buildpacks[0].version, '1.8.2');
});

test('skip-detect mode (cf push -b) gives the same line, identical for identical inputs', async () => {
  const wrapped = join(work, 'nodejs');
  const app = join(fixtures, 'apps/express-app');
  const a = await stage(app, [`nodejs=${wrapped}`], true, join(work, 'out-skip-a'));
  const b = await stage(app, [`nodejs=${wrapped}`], true, join(work, 'out-skip-b'));
  assert.is(a.code, 0);
  assert.is(a.result.lifecycle_metadata.detected_buildpack, EXPECTED);
  assert.is(b.result.lifecycle_metadata.detected_buildpack, a.result.lifecycle_metadata.detected_buildpack);
  const line: string = a.result.lifecycle_metadata.detected_buildpack;
  assert.ok(line.length <= 255 && !/[\r\n]/.test(line));
});

test('the installed version is what the buildpack really installed (.nvmrc asks for 18)', async () => {
  const wrapped = join(work, 'nodejs');
  const { code, result } = await stage(join(fixtures, 'apps/nvmrc-app'), [`nodejs=${wrapped}`], true, join(work, 'out-nvm'));
  assert.is(code, 0);
  assert.is(result.lifecycle_metadata.detected_buildpack, 'nodejs-buildpack=v1.8.2 node=18.20.4');
});

test('compile-only buildpack: the detect line is what shows in detect mode', async () => {
  const wrapped = await wrap(join(fixtures, 'buildpacks/static-lite'), 'static');
  const { code, result } = await stage(join(fixtures, 'apps/static-app'), [`static=${wrapped}`], false, join(work, 'out-static'));
  assert.is(code, 0);
  assert.is(result.lifecycle_metadata.detected_buildpack, 'staticfile-buildpack=v0.4.2 nginx=1.27.3');
});

test('a non-final buildpack is never renamed', async () => {
  const wrapped = join(work, 'nodejs');
  const agent = join(fixtures, 'buildpacks/agent-lite');
  const { code, result } = await stage(
    join(fixtures, 'apps/express-app'),
    [`agent=${agent}`, `nodejs=${wrapped}`],
    true,
    join(work, 'out-multi'),
  );
  assert.is(code, 0);
  assert.is(result.lifecycle_metadata.buildpacks[0].name, 'monitor-agent');
  assert.is(result.lifecycle_metadata.detected_buildpack, EXPECTED);
});

test.run();
