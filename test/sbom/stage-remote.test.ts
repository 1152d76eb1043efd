// builtin:sbom before the last phase (deps/<idx>/bpx), remote signing over a real loopback signer, and verify on broken droplets.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, readFile, rm, appendFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import sbomExt from '../../extensions/sbom/index.ts';
import type { BuiltinContext, Phase, StagingState } from '../../src/lifecycle/hooks/types.ts';
import { generateKeyPair } from '../../src/sbom/sign/keys.ts';
import { verifyDroplet } from '../../src/sbom/verify.ts';
import { startSignerServer, loadSigningKey } from '../../src/serve/index.ts';

let work = '';
test.before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bpx-stage-'));
});
test.after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function tree(root: string): Promise<void> {
  await mkdir(path.join(root, 'app'), { recursive: true });
  await mkdir(path.join(root, 'deps/0/agent'), { recursive: true });
  await writeFile(path.join(root, 'app/index.js'), 'x\n');
  await writeFile(path.join(root, 'deps/0/agent/a.jar'), 'jar');
  await writeFile(path.join(root, 'deps/0/config.yml'), 'name: agent\nversion: 1.0.0\nconfig: {}\n');
}

function ctx(root: string, phase: Phase, w: Record<string, unknown>, env: Record<string, string>): BuiltinContext {
  const state: StagingState = { findings: [], detect: [], installs: [], metadata: {} };
  return {
    hook: {
      version: 1,
      extension: 'sbom',
      phase,
      when: 'after',
      app: {},
      buildpacks: [{ index: '0', key: 'agent', wrapped: true }],
      dirs: { build: path.join(root, 'app'), deps: path.join(root, 'deps'), depsIdx: '0' },
    },
    with: w,
    manifestDir: work,
    operator: true,
    env,
    state,
    capture: async () => ({ components: [], issues: [], complete: true }),
    log: () => {},
    signal: new AbortController().signal,
  };
}

async function tgz(root: string, name: string): Promise<string> {
  const out = path.join(work, `${name}.tgz`);
  await execa('tar', ['-czf', out, '-C', root, '.']);
  return out;
}

test('at supply:after the outputs go to deps/<idx>/bpx and only deps/<idx> is signed', async () => {
  const root = path.join(work, 'supply');
  await tree(root);
  const pair = generateKeyPair('ed25519');
  const res = await sbomExt.run(ctx(root, 'supply', { formats: ['spdx'], signingKey: { env: 'K' } }, { K: pair.privatePem }));
  assert.equal((res.metadata as any).sbom.location, 'deps/0/bpx');
  assert.equal((await readdir(path.join(root, 'deps/0/bpx'))).sort(), [
    'sbom.cdx.json',
    'sbom.intoto.jsonl',
    'sbom.spdx.json',
    'sbom.tree.txt',
  ]);
  const cfg = parseYaml(await readFile(path.join(root, 'deps/0/config.yml'), 'utf8'));
  assert.equal(cfg.output_metadata, { bpx_sbom_attestation: 'deps/0/bpx/sbom.intoto.jsonl', bpx_sbom_spdx: 'deps/0/bpx/sbom.spdx.json' });
  assert.equal(cfg.config, {});
  let r = await verifyDroplet(await tgz(root, 'supply'), pair.publicPem);
  assert.ok(r.ok, JSON.stringify(r.failures));
  assert.equal(
    r.subjects.map((s) => s.name),
    ['deps/0'],
  );
  await appendFile(path.join(root, 'app/index.js'), 'later buildpacks may change app/\n');
  r = await verifyDroplet(await tgz(root, 'supply2'), pair.publicPem);
  assert.ok(r.ok, JSON.stringify(r.failures));
  await appendFile(path.join(root, 'deps/0/agent/a.jar'), 'x');
  r = await verifyDroplet(await tgz(root, 'supply3'), pair.publicPem);
  assert.equal(
    r.failures.map((f) => [f.code, f.files?.changed]),
    [['subject-changed', ['agent/a.jar']]],
  );
});

test('remote signing: builtin:sbom signs through a loopback signing service with a bearer token', async () => {
  for (const type of ['ed25519', 'ecdsa-p256'] as const) {
    const pair = generateKeyPair(type);
    const server = await startSignerServer({
      key: loadSigningKey(pair.privatePem, 'mem.key'),
      port: 0,
      host: '127.0.0.1',
      token: 's3cret',
    });
    try {
      const root = path.join(work, `remote-${type}`);
      await tree(root);
      await sbomExt.run(ctx(root, 'finalize', { signingKey: { http: server.url, token: { env: 'TOK' } } }, { TOK: 's3cret' }));
      const r = await verifyDroplet(await tgz(root, `remote-${type}`), pair.publicPem);
      assert.ok(r.ok, JSON.stringify(r.failures));
      const env = JSON.parse((await readFile(path.join(root, 'app/.bpx/sbom.intoto.jsonl'), 'utf8')).split('\n')[0]);
      assert.is(env.signatures[0].keyid, pair.keyid);
      try {
        await sbomExt.run(ctx(root, 'finalize', { signingKey: { http: server.url, token: { env: 'TOK' } } }, { TOK: 'wrong' }));
        assert.unreachable('a wrong token must fail');
      } catch (err) {
        assert.not.match((err as Error).message, /unreachable/);
      }
    } finally {
      await server.close();
    }
  }
});

test('verify on a corrupt or hostile droplet fails with a message, never a crash', async () => {
  const pair = generateKeyPair('ed25519');
  const bad = path.join(work, 'bad.tgz');
  await writeFile(bad, Buffer.from('1f8b0800000000000003', 'hex'));
  try {
    await verifyDroplet(bad, pair.publicPem);
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /bad\.tgz/);
  }
  const hostile = path.join(work, 'hostile.tgz');
  await execa('python3', [
    '-c',
    `
import tarfile, io, sys
with tarfile.open(sys.argv[1], 'w:gz') as t:
    ti = tarfile.TarInfo('../../etc/x'); ti.size = 1; t.addfile(ti, io.BytesIO(b'x'))
`,
    hostile,
  ]);
  const r = await verifyDroplet(hostile, pair.publicPem);
  assert.is(r.ok, false);
  assert.equal(r.failures.map((f) => f.code).sort(), ['no-signature', 'unreadable']);
  try {
    await verifyDroplet(hostile, 'not a key');
    assert.unreachable();
  } catch (err) {
    assert.match((err as Error).message, /not a readable PEM public key/);
  }
});

test.run();
