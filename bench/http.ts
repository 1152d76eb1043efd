// Bench: an http: extension call (2,000 components, HMAC + token) and a remote DSSE signature, against the reference servers on loopback.
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runHttpHook } from '../src/lifecycle/hooks/http.ts';
import { createRemoteSigner } from '../src/sbom/sign/remote.ts';
import { startHooksServer, startSignerServer, loadSigningKey } from '../src/serve/index.ts';
import type { StagingState } from '../src/lifecycle/hooks/types.ts';

const N = 2000;
const state: StagingState = {
  capture: {
    components: Array.from({ length: N }, (_, i) => ({
      ecosystem: 'npm' as const,
      name: `pkg-${i}`,
      version: `1.${i % 50}.0`,
      purl: `pkg:npm/pkg-${i}@1.${i % 50}.0`,
      kind: 'library' as const,
      scope: 'required' as const,
      licenses: [{ raw: 'MIT', spdx: 'MIT' }],
      hashes: [{ alg: 'SHA-512' as const, value: 'ab'.repeat(64) }],
      locations: [{ path: 'package-lock.json', source: 'lockfile' as const }],
      dependsOn: [`pkg:npm/pkg-${(i + 1) % N}@1.0.0`],
    })),
    issues: [],
    complete: true,
  },
  findings: [],
  detect: [],
  installs: [],
  metadata: {},
};
const context = {
  version: 1 as const,
  extension: 'bench',
  phase: 'finalize' as const,
  when: 'after' as const,
  app: { name: 'bench' },
  buildpacks: [],
  dirs: { build: '/tmp/x' },
};

const hooks = await startHooksServer({
  token: 'bench-token',
  hmacKey: 'bench-key',
  policy: { deny: [{ purl: 'pkg:npm/nope' }], warn: [] },
});
const opts = {
  url: hooks.url,
  with: { send: ['components'], token: { env: 'T' }, hmacKey: { env: 'K' } },
  insecure: false,
  timeoutMs: 10_000,
  env: { T: 'bench-token', K: 'bench-key' },
  manifestDir: '.',
  log: () => undefined,
  signal: new AbortController().signal,
  state,
};
const body = Buffer.byteLength(JSON.stringify({ ...context, components: state.capture!.components }));
for (let i = 0; i < 3; i++) await runHttpHook(context, opts);
let runs = 30;
let t0 = performance.now();
for (let i = 0; i < runs; i++) await runHttpHook(context, opts);
const hookMs = (performance.now() - t0) / runs;
console.log(`http hook, ${N} components (${(body / 1024).toFixed(0)} KiB body), HMAC+token, policy: ${hookMs.toFixed(1)} ms per call`);
await hooks.close();

// Baseline: the same bytes POSTed with fetch to a server that only parses the JSON.
const bare = createServer((req, res) => {
  const c: Buffer[] = [];
  req.on('data', (d: Buffer) => c.push(d));
  req.on('end', () => {
    JSON.parse(Buffer.concat(c).toString());
    res.end('{"verdict":"pass"}');
  });
});
await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
const bareUrl = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/`;
const raw = JSON.stringify({ ...context, components: state.capture!.components });
for (let i = 0; i < 3; i++) await (await fetch(bareUrl, { method: 'POST', body: raw })).text();
t0 = performance.now();
for (let i = 0; i < runs; i++) await (await fetch(bareUrl, { method: 'POST', body: raw })).text();
const bareMs = (performance.now() - t0) / runs;
console.log(
  `baseline: fetch of the same body to a bare JSON server: ${bareMs.toFixed(1)} ms per call (hook/baseline = ${(hookMs / bareMs).toFixed(2)}x)`,
);
bare.close();

for (const kind of ['ed25519', 'ec'] as const) {
  const { privateKey } = kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = loadSigningKey(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'bench.pem');
  const srv = await startSignerServer({ key, token: 'bench-token' });
  const signer = createRemoteSigner({ url: srv.url, token: 'bench-token' });
  const payload = Buffer.alloc(1024 * 1024, 'x');
  const pae = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${payload.length} `), payload]);
  await signer.sign(pae);
  runs = 20;
  t0 = performance.now();
  for (let i = 0; i < runs; i++) await signer.sign(pae);
  console.log(`remote sign (${key.algorithm}), 1 MiB payload: ${((performance.now() - t0) / runs).toFixed(1)} ms per signature`);
  await srv.close();
}
