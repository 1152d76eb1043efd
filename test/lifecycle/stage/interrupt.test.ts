// SIGINT/SIGTERM during bpx stage: the scripts' process trees stop, temp files go, no droplet or
// result looks current, "interrupted" is printed and the exit code is 130/143. A wrapped buildpack's hooks stop too.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bpx, distCli, ensureDist, fixtures, isRunning, repoRoot, tmp } from './helpers.ts';

ensureDist();

/** A buildpack whose supply starts a grandchild that would outlive it, records its pid, then hangs. */
function hangingBuildpack(root: string, pidFile: string): string {
  const bp = join(root, 'hang-bp');
  mkdirSync(join(bp, 'bin'), { recursive: true });
  const script = (name: string, body: string) => {
    writeFileSync(join(bp, 'bin', name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bp, 'bin', name), 0o755);
  };
  script('detect', 'echo hang');
  script('supply', `sleep 1000 &\necho $! > '${pidFile}'\necho "-----> hanging"\nwhile :; do sleep 1; done`);
  script('finalize', 'exit 0');
  script('release', "echo 'default_process_types: {web: run}'");
  return bp;
}

async function waitFor(what: () => boolean, ms: number): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end;) {
    if (what()) return true;
    await new Promise((ok) => setTimeout(ok, 50));
  }
  return what();
}

async function interrupt(buildpack: string, sig: 'SIGINT' | 'SIGTERM', pidFile: string, tmpRoot: string, out: string) {
  // a droplet of an earlier staging in the same --out must not survive looking current
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'droplet.tgz'), 'stale');
  writeFileSync(join(out, 'result.json'), '{}');
  const child = spawn(
    process.execPath,
    [distCli, 'stage', '--app', join(fixtures, 'apps', 'node-app'), '--buildpack', `hang=${buildpack}`, '-o', out],
    {
      cwd: repoRoot,
      env: { ...process.env, TMPDIR: tmpRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((ok) => child.on('close', (code) => ok(code)));
  assert.ok(
    await waitFor(() => stdout.includes('-----> hanging') && existsSync(pidFile), 20_000),
    `supply never started: ${stdout}${stderr}`,
  );
  child.kill(sig);
  const code = await closed;
  return { code, stdout, stderr, grandchild: Number(readFileSync(pidFile, 'utf8')) };
}

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`${sig} during supply: exit ${sig === 'SIGINT' ? 130 : 143}, the script's tree stops, nothing half-written stays`, async () => {
    const root = tmp('bpx-int-');
    const tmpRoot = tmp('bpx-int-tmp-');
    const pidFile = join(root, 'grandchild.pid');
    const out = join(root, 'out');
    const r = await interrupt(hangingBuildpack(root, pidFile), sig, pidFile, tmpRoot, out);
    assert.is(r.code, sig === 'SIGINT' ? 130 : 143, r.stderr);
    assert.match(r.stderr, /^bpx stage: interrupted$/m);
    assert.ok(await waitFor(() => !isRunning(r.grandchild), 5000), `grandchild ${r.grandchild} still running`);
    assert.equal(readdirSync(out).sort(), ['staging.log'], 'only the log stays: no stale droplet or result, no temp log');
    assert.equal(readdirSync(tmpRoot), [], 'the work folder is removed');
  });
}

test('SIGTERM during a wrapped phase: its hanging extension is stopped with its process tree', async () => {
  const root = tmp('bpx-int-w-');
  const tmpRoot = tmp('bpx-int-w-tmp-');
  const pidFile = join(root, 'hook-grandchild.pid');
  mkdirSync(join(root, 'hooks'));
  writeFileSync(
    join(root, 'hooks', 'hang.sh'),
    `#!/bin/sh\nsleep 1000 &\necho $! > '${pidFile}'\necho "-----> hanging"\nwhile :; do sleep 1; done\n`,
  );
  chmodSync(join(root, 'hooks', 'hang.sh'), 0o755);
  writeFileSync(
    join(root, 'bpx.yml'),
    'version: 1\nextensions:\n  - {name: hang, at: [supply:before], run: hooks/hang.sh, timeout: 10m}\n',
  );
  const inner = hangingBuildpack(root, join(root, 'unused.pid'));
  const wrapped = join(root, 'wrapped');
  const w = bpx(['wrap', inner, '--manifest', join(root, 'bpx.yml'), '-o', wrapped]);
  assert.is(w.code, 0, w.stderr);
  const r = await interrupt(wrapped, 'SIGTERM', pidFile, tmpRoot, join(root, 'out'));
  assert.is(r.code, 143, r.stderr);
  assert.ok(await waitFor(() => !isRunning(r.grandchild), 5000), `the hook's grandchild ${r.grandchild} still running`);
  assert.equal(readdirSync(tmpRoot), [], 'the work folder is removed');
});

test.run();
