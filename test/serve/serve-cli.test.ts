// bpx serve-hooks / serve-signer as real child processes: print the URL, log JSON lines, stop on SIGTERM.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execa, type ExecaChildProcess } from 'execa';
import { generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { runHttpHook } from '../../src/lifecycle/hooks/http.ts';
import { createRemoteSigner } from '../../src/sbom/sign/remote.ts';
import { context, state, rejects } from '../http/helpers.ts';

const root = resolve(import.meta.dirname, '..', '..');
const bin = join(root, 'src/cli/bin.ts');
// --import resolves from the child's cwd (a temp dir), so name tsx by its absolute URL.
const tsx = import.meta.resolve('tsx');
const dir = mkdtempSync(join(tmpdir(), 'bpx-serve-'));
const KEY = 'cli-hmac-key-7d1e';

function start(args: string[], env: Record<string, string> = {}) {
  const child = execa(process.execPath, ['--import', tsx, bin, ...args], { cwd: dir, env, reject: false, buffer: true });
  const url = new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) ok(m[1]);
    });
    void child.then((r) => fail(new Error(`exited early: ${r.exitCode} ${r.stderr}`)));
  });
  return { child, url };
}

async function stop(child: ExecaChildProcess) {
  child.kill('SIGTERM');
  const r = await child;
  return { exitCode: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

test('serve-hooks with a policy and an HMAC key', async () => {
  writeFileSync(join(dir, 'policy.yml'), 'deny:\n  - purl: pkg:npm/request\n    reason: deprecated since 2020\n');
  const { child, url } = start(['serve-hooks', '--port', '0', '--policy', 'policy.yml', '--hmac-key-env', 'HOOK_KEY'], { HOOK_KEY: KEY });
  const u = await url;
  assert.match(u, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const base = {
    with: { send: ['components'], hmacKey: { env: 'K' } },
    insecure: false,
    timeoutMs: 5000,
    env: { K: KEY },
    manifestDir: dir,
    log: () => undefined,
    signal: new AbortController().signal,
  };
  const e = await rejects(runHttpHook(context(), { ...base, url: u, state: state() }));
  assert.match(e.message, /verdict fail .*1 denied package/);
  const ok = await runHttpHook(context(), { ...base, url: u, state: state([['express', '4.21.2']]) });
  assert.is(ok.verdict, 'pass');
  const r = await stop(child);
  assert.is(r.exitCode, 0, r.stderr);
  const lines = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));
  assert.equal(
    lines.map((l) => [l.status, l.verdict, l.components]),
    [
      [200, 'fail', 2],
      [200, 'pass', 1],
    ],
  );
  assert.not.ok(r.stdout.includes(KEY));
  assert.match(r.stderr, /stopped/);
});

test('serve-signer signs for createRemoteSigner and prints its keyid', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  writeFileSync(join(dir, 'key.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const { child, url } = start(['serve-signer', '--key', 'key.pem', '--port', '0', '--token-env', 'SIGN_TOKEN'], {
    SIGN_TOKEN: 'tkn-abcdef',
  });
  const u = await url;
  const signer = createRemoteSigner({ url: u, token: 'tkn-abcdef', timeoutMs: 5000 });
  const body = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}');
  const pae = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${body.length} `), body]);
  const sig = await signer.sign(pae);
  assert.ok(verify('sha256', pae, { key: publicKey, dsaEncoding: 'der' }, sig));
  const r = await stop(child);
  assert.is(r.exitCode, 0, r.stderr);
  assert.ok(r.stdout.includes(`ecdsa-p256 keyid ${signer.keyid}`));
  assert.not.ok(r.stdout.includes('tkn-abcdef'));
});

test('usage errors exit 2 with a clear message; --help prints the full text', async () => {
  // in process through the real CLI entry (main), to keep the file fast
  const run = async (args: string[], env: Record<string, string> = {}) => {
    let stdout = '';
    let stderr = '';
    const sink = (f: (s: string) => void) =>
      new Writable({
        write(c, _e, cb) {
          f(String(c));
          cb();
        },
      });
    const exitCode = await main(args, {
      stdout: sink((x) => (stdout += x)),
      stderr: sink((x) => (stderr += x)),
      stdin: process.stdin,
      env,
      cwd: dir,
      isTTY: false,
    });
    return { exitCode, stdout, stderr };
  };
  const a = await run(['serve-signer']);
  const b = await run(['serve-signer', '--key', 'missing.pem']);
  const c = await run(['serve-hooks', '--hmac-key-env', 'UNSET_VAR_X']);
  const d = await run(['serve-hooks', '--port', 'eighty']);
  writeFileSync(join(dir, 'bad-policy.yml'), 'deny:\n  - purl: npm/lodash\n');
  const e = await run(['serve-hooks', '--policy', 'bad-policy.yml']);
  const h = await run(['serve-hooks', '--help']);
  assert.equal([a.exitCode, b.exitCode, c.exitCode, d.exitCode, e.exitCode, h.exitCode], [2, 2, 2, 2, 2, 0]);
  assert.match(a.stderr, /--key KEY\.pem is required/);
  assert.match(b.stderr, /--key missing\.pem: no such file or directory/);
  assert.match(c.stderr, /--hmac-key-env UNSET_VAR_X: that environment variable is not set/);
  assert.match(d.stderr, /--port eighty: not a port number/);
  assert.match(e.stderr, /bad-policy\.yml: policy\.deny\.0\.purl: must match pattern/);
  assert.match(h.stdout, /Usage: bpx serve-hooks/);
  for (const x of [a, b, c, d, e]) assert.not.match(x.stderr, /at .*\.ts:\d+/, 'no stack trace');
});

test.run();
