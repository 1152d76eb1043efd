// End to end: an `http:` extension in a wrapped buildpack, called during `bpx stage` by the phase runner,
// answered by the reference receiver (bpx serve-hooks' server) on loopback with HMAC authentication.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parsePolicy, startHooksServer, type RunningServer } from '../../src/serve/index.ts';

const run = promisify(execFile);
const repo = new URL('../../', import.meta.url).pathname;
const bpx = join(repo, 'dist/bpx.cjs');
const buildpack = join(repo, 'test/detect/fixtures/buildpacks/nodejs-lite');
const HMAC = 'e2e-hmac-key-not-a-secret';
let work: string;
let server: RunningServer;
const requests: string[] = [];

test.before(async () => {
  work = await mkdtemp(join(tmpdir(), 'bpx-http-e2e-'));
  server = await startHooksServer({
    host: '127.0.0.1',
    port: 0,
    hmacKey: HMAC,
    policy: parsePolicy('deny:\n  - purl: pkg:npm/express@4.18.2\n    reason: pinned by the compliance team\n', 'policy.yml'),
    log: (line) => requests.push(line),
  });
});
test.after(async () => {
  await server.close();
  await rm(work, { recursive: true, force: true });
});

async function stageWith(name: string, onFailure: 'warn' | 'fail', hmac: string, app: string) {
  const manifest = join(work, `${name}.yml`);
  await writeFile(
    manifest,
    `version: 1\nextensions:\n  - name: compliance\n    http: ${server.url}\n    at: [finalize:after]\n    timeout: 20s\n    onFailure: ${onFailure}\n    with: {send: [components], hmacKey: {env: GATE_HMAC}}\n`,
  );
  const wrapped = join(work, `${name}-bp`);
  await run(process.execPath, [bpx, 'wrap', buildpack, '--manifest', manifest, '-o', wrapped]);
  const out = join(work, `${name}-out`);
  const r = await run(
    process.execPath,
    [bpx, 'stage', '--app', app, '--buildpack', `nodejs=${wrapped}`, '--skip-detect', '--env', `GATE_HMAC=${hmac}`, '--out', out],
    { maxBuffer: 1 << 24 },
  ).catch((e) => e);
  return { code: r.code ?? 0, log: await readFile(join(out, 'staging.log'), 'utf8'), out };
}

test('the receiver sees the captured components, denies express, and onFailure: fail fails the staging (223)', async () => {
  const app = join(repo, 'test/detect/fixtures/apps/express-app');
  const before = requests.length;
  const r = await stageWith('deny', 'fail', HMAC, app);
  assert.is(r.code, 223, r.log);
  assert.match(r.log, /\[compliance\] FAILED \(onFailure: fail\): verdict fail/);
  assert.match(r.log, /\[compliance\] high: denied by policy: pinned by the compliance team \(pkg:npm\/express@4.18.2\) \[policy-deny\]/);
  assert.is(requests.length, before + 1, 'one request, not retried: a verdict is an answer');
  const logged = JSON.parse(requests[requests.length - 1]);
  assert.is(logged.status, 200);
  assert.not.match(r.log, HMAC, 'the HMAC key never reaches the staging log');
});

test('onFailure: warn logs the verdict and stages; a clean app passes', async () => {
  const r = await stageWith('warn', 'warn', HMAC, join(repo, 'test/detect/fixtures/apps/express-app'));
  assert.is(r.code, 0, r.log);
  assert.match(r.log, /\[compliance\] failed, continuing \(onFailure: warn\)/);
  const clean = join(work, 'clean-app');
  await mkdir(clean);
  await writeFile(join(clean, 'package.json'), '{"name": "clean", "version": "1.0.0"}');
  const ok = await stageWith('pass', 'fail', HMAC, clean);
  assert.is(ok.code, 0, ok.log);
  assert.not.match(ok.log, /\[compliance\] (FAILED|failed)/);
});

test('a wrong HMAC key is rejected by the receiver with 401, and that fails the extension', async () => {
  const clean = join(work, 'clean-app');
  const r = await stageWith('badkey', 'fail', 'not-the-key', clean);
  assert.is(r.code, 223, r.log);
  assert.match(r.log, /\[compliance\] FAILED \(onFailure: fail\): .*401/);
  assert.not.match(r.log, 'not-the-key');
});

test.run();
