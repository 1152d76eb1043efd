// builtin:sbom at finalize:after on a staged tree, then bpx keygen / bpx verify on real tar.gz droplets; OpenSSL interop.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtemp, mkdir, writeFile, readFile, rm, cp, appendFile, unlink, readdir, stat, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { execa } from 'execa';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.ts';
import type { Io } from '../../src/cli/io.ts';
import { captureDir } from '../../src/catalog/index.ts';
import sbomExt from '../../extensions/sbom/index.ts';
import { builtins } from '../../extensions/index.ts';
import type { BuiltinContext, StagingState } from '../../src/lifecycle/hooks/types.ts';
import { preAuthEncoding } from '../../src/sbom/sign/dsse.ts';
import { cycloneDxValidator, hasShared, sharedDir } from './schemas.ts';

let work = '';
test.before(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'bpx-sign-'));
});
test.after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function cli(argv: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let o = '';
  let e = '';
  out.on('data', (d) => (o += d));
  err.on('data', (d) => (e += d));
  const io: Io = { stdout: out, stderr: err, stdin: new PassThrough(), env, cwd: work, isTTY: false };
  const code = await main(argv, io);
  return { code, out: o, err: e };
}

/** A staging layout: <root>/app (BUILD_DIR) and <root>/deps (DEPS_DIR) with two buildpacks, the wrapped one last. */
async function stageTree(root: string): Promise<void> {
  await mkdir(path.join(root, 'app/lib'), { recursive: true });
  await mkdir(path.join(root, 'deps/0/agent'), { recursive: true });
  await mkdir(path.join(root, 'deps/1/node/bin'), { recursive: true });
  const lock = hasShared ? path.join(sharedDir, 'corpus/lockfiles/npm/typicode-json-server/lockfile-v3') : '';
  if (lock) {
    for (const f of await readdir(lock)) await copyFile(path.join(lock, f), path.join(root, 'app', f));
  } else {
    await writeFile(path.join(root, 'app/package.json'), '{"name":"demo","version":"1.0.0"}\n');
  }
  await writeFile(path.join(root, 'app/lib/server.js'), 'console.log("hi")\n');
  await writeFile(path.join(root, 'deps/0/agent/agent.jar'), Buffer.alloc(4096, 3));
  await writeFile(path.join(root, 'deps/0/config.yml'), 'name: apm-agent\nversion: 7.1.0\nconfig: {}\n');
  await writeFile(path.join(root, 'deps/1/config.yml'), 'name: nodejs\nversion: 1.8.30\nconfig:\n  entrypoint_prefix: ""\n');
  await writeFile(path.join(root, 'deps/1/node/bin/node'), '#!/bin/sh\n', { mode: 0o755 });
}

function ctxFor(root: string, withSettings: Record<string, unknown>, env: Record<string, string>): BuiltinContext {
  const state: StagingState = { findings: [], detect: [], installs: [], metadata: {} };
  return {
    hook: {
      version: 1,
      extension: 'sbom',
      phase: 'finalize',
      when: 'after',
      app: { name: 'demo' },
      stack: 'cflinuxfs4',
      buildpacks: [
        { index: '0', key: 'agent', name: 'apm-agent' },
        { index: '1', key: 'nodejs_buildpack', wrapped: true },
      ],
      dirs: { build: path.join(root, 'app'), deps: path.join(root, 'deps'), depsIdx: '1' },
    },
    with: withSettings,
    manifestDir: work,
    operator: true,
    env,
    state,
    capture: async () => (state.capture ??= await captureDir(path.join(root, 'app'))),
    log: () => {},
    signal: new AbortController().signal,
  };
}

async function tgz(root: string, name: string): Promise<string> {
  const out = path.join(work, `${name}.tgz`);
  await execa('tar', ['-czf', out, '-C', root, '.']);
  return out;
}

const keys: Record<string, { key: string; pub: string }> = {};

test('bpx keygen writes PEM pairs (0600 private key) and refuses to overwrite', async () => {
  for (const type of ['ed25519', 'ecdsa-p256']) {
    const r = await cli(['keygen', '--type', type, '-o', path.join(work, type)]);
    assert.is(r.code, 0, r.err);
    keys[type] = { key: path.join(work, `${type}.key`), pub: path.join(work, `${type}.pub`) };
    assert.is((await stat(keys[type].key)).mode & 0o777, 0o600);
    assert.match(await readFile(keys[type].pub, 'utf8'), /BEGIN PUBLIC KEY/);
    assert.match(r.out, /keyid [0-9a-f]{64}/);
  }
  const again = await cli(['keygen', '--type', 'ed25519', '-o', path.join(work, 'ed25519')]);
  assert.is(again.code, 1);
  assert.match(again.err, /exists; use --force/);
  assert.is((await cli(['keygen', '--type', 'rsa', '-o', path.join(work, 'x')])).code, 2);
});

test('builtin:sbom is registered and writes signed, schema-valid outputs into app/.bpx; config.yml names them', async () => {
  assert.is((await builtins.sbom()).default, sbomExt);
  const root = path.join(work, 'staged');
  await stageTree(root);
  const pem = await readFile(keys.ed25519.key, 'utf8');
  const res = await sbomExt.run(
    ctxFor(
      root,
      { formats: ['cyclonedx', 'spdx'], signingKey: { env: 'BPX_SIGNING_KEY' } },
      {
        BPX_SIGNING_KEY: pem,
        SOURCE_DATE_EPOCH: '1700000000',
        CF_STACK: 'cflinuxfs4',
        VCAP_APPLICATION: '{"application_name":"demo","application_id":"a-1"}',
      },
    ),
  );
  const files = (await readdir(path.join(root, 'app/.bpx'))).sort();
  assert.equal(files, ['sbom.cdx.json', 'sbom.intoto.jsonl', 'sbom.spdx.json', 'sbom.tree.txt']);
  assert.equal((res.metadata as any).sbom.location, 'app/.bpx');
  const cdx = JSON.parse(await readFile(path.join(root, 'app/.bpx/sbom.cdx.json'), 'utf8'));
  assert.equal(cycloneDxValidator()(cdx), []);
  assert.ok(cdx.components.some((c: any) => c.name === 'nodejs' && c.properties.some((p: any) => p.value === 'nodejs_buildpack')));
  assert.is(cdx.metadata.component.name, 'demo');
  const cfg = parseYaml(await readFile(path.join(root, 'deps/1/config.yml'), 'utf8'));
  assert.is(cfg.output_metadata.bpx_sbom_cyclonedx, 'app/.bpx/sbom.cdx.json');
  assert.is(cfg.output_metadata.bpx_sbom_attestation, 'app/.bpx/sbom.intoto.jsonl');
  assert.is(cfg.key, undefined);
  assert.is(cfg.name, 'nodejs');
  // the private key is in no file of the tree
  const body = pem
    .split('\n')
    .filter((l) => l && !l.startsWith('-----'))
    .join('');
  const all = (await execa('sh', ['-c', 'find . -type f -exec cat {} +', 'sh'], { cwd: root, encoding: 'buffer' })).stdout;
  assert.not.ok(Buffer.from(all).includes(body));
  assert.not.ok(Buffer.from(all).includes('PRIVATE KEY'));
  // reproducible: staging again gives the same documents and envelope
  const first = await readFile(path.join(root, 'app/.bpx/sbom.intoto.jsonl'), 'utf8');
  await sbomExt.run(
    ctxFor(
      root,
      { signingKey: { env: 'K' } },
      {
        K: pem,
        SOURCE_DATE_EPOCH: '1700000000',
        CF_STACK: 'cflinuxfs4',
        VCAP_APPLICATION: '{"application_name":"demo","application_id":"a-1"}',
      },
    ),
  );
  assert.is(await readFile(path.join(root, 'app/.bpx/sbom.intoto.jsonl'), 'utf8'), first);
});

test('bpx verify: intact droplet passes (tgz and directory); each kind of tampering fails with its message', async () => {
  const root = path.join(work, 'staged');
  const good = await tgz(root, 'good');
  let r = await cli(['verify', good, '--key', keys.ed25519.pub]);
  assert.is(r.code, 0, r.err);
  assert.match(r.out, /app sha256:[0-9a-f]{64}/);
  r = await cli(['verify', root, '--key', keys.ed25519.pub]);
  assert.is(r.code, 0, r.err);

  const json = await cli(['verify', good, '--key', keys['ecdsa-p256'].pub, '--json']);
  assert.is(json.code, 1);
  const parsed = JSON.parse(json.out);
  assert.is(parsed.ok, false);
  assert.ok(parsed.failures.every((f: any) => f.code === 'wrong-key'));

  const variant = async (name: string, change: (dir: string) => Promise<void>) => {
    const dir = path.join(work, name);
    await cp(root, dir, { recursive: true, verbatimSymlinks: true });
    await change(dir);
    return cli(['verify', await tgz(dir, name), '--key', keys.ed25519.pub]);
  };
  const cases: Array<[string, (d: string) => Promise<void>, RegExp]> = [
    ['tampered-sbom', (d) => appendFile(path.join(d, 'app/.bpx/sbom.cdx.json'), ' '), /sbom-tampered: app\/\.bpx\/sbom\.cdx\.json differs/],
    [
      'tampered-spdx',
      async (d) => {
        const f = path.join(d, 'app/.bpx/sbom.spdx.json');
        await writeFile(f, (await readFile(f, 'utf8')).replace('"demo', '"evil'));
      },
      /sbom-tampered: app\/\.bpx\/sbom\.spdx\.json/,
    ],
    [
      'app-added',
      (d) => writeFile(path.join(d, 'app/lib/backdoor.js'), 'evil()\n'),
      /subject-changed: app\/ differs from what was signed: added: lib\/backdoor\.js/,
    ],
    ['app-removed', (d) => unlink(path.join(d, 'app/lib/server.js')), /removed: lib\/server\.js/],
    [
      'app-changed',
      (d) => appendFile(path.join(d, 'app/lib/server.js'), 'evil()\n'),
      /app\/ differs from what was signed: changed: lib\/server\.js/,
    ],
    [
      'deps-added',
      (d) => writeFile(path.join(d, 'deps/0/agent/extra.so'), 'x'),
      /deps\/0\/ differs from what was signed: added: agent\/extra\.so/,
    ],
    [
      'deps-changed',
      (d) => appendFile(path.join(d, 'deps/1/node/bin/node'), 'evil\n'),
      /deps\/1\/ differs from what was signed: changed: node\/bin\/node/,
    ],
    ['deps-removed', (d) => rm(path.join(d, 'deps/0'), { recursive: true }), /deps\/0\/ is signed but absent/],
    ['deps-new', (d) => mkdir(path.join(d, 'deps/2')), /deps\/2\/ is in the droplet but was not signed/],
    ['no-signature', (d) => unlink(path.join(d, 'app/.bpx/sbom.intoto.jsonl')), /no-signature/],
    [
      'forged-envelope',
      async (d) => {
        const f = path.join(d, 'app/.bpx/sbom.intoto.jsonl');
        const [l1, ...rest] = (await readFile(f, 'utf8')).split('\n');
        const env = JSON.parse(l1);
        const st = JSON.parse(Buffer.from(env.payload, 'base64').toString());
        st.subject[0].digest.sha256 = '0'.repeat(64);
        env.payload = Buffer.from(JSON.stringify(st)).toString('base64');
        await writeFile(f, [JSON.stringify(env), ...rest].join('\n'));
      },
      /wrong-key: .*does not verify/,
    ],
  ];
  for (const [name, change, expected] of cases) {
    const v = await variant(name, change);
    assert.is(v.code, 1, `${name}: ${v.err}`);
    assert.match(v.err, expected, name);
  }
});

test('OpenSSL verifies the DSSE signatures independently (Ed25519 and ECDSA P-256); a tampered envelope fails there', async () => {
  for (const type of ['ed25519', 'ecdsa-p256'] as const) {
    const root = path.join(work, `openssl-${type}`);
    await stageTree(root);
    await sbomExt.run(ctxFor(root, { formats: ['cyclonedx'], signingKey: { file: path.basename(keys[type].key) } }, {}));
    const line = (await readFile(path.join(root, 'app/.bpx/sbom.intoto.jsonl'), 'utf8')).split('\n')[0];
    const env = JSON.parse(line);
    assert.equal(Object.keys(env).sort(), ['payload', 'payloadType', 'signatures']);
    assert.is(env.payloadType, 'application/vnd.in-toto+json');
    const payload = Buffer.from(env.payload, 'base64');
    const st = JSON.parse(payload.toString());
    assert.is(st._type, 'https://in-toto.io/Statement/v1');
    assert.is(st.predicateType, 'https://cyclonedx.org/bom');
    assert.equal(
      st.subject.map((s: any) => s.name),
      ['app', 'deps/0', 'deps/1'],
    );
    // PAE per the DSSE spec, built here rather than by bpx
    const type_ = Buffer.from(env.payloadType);
    const pae = Buffer.concat([Buffer.from(`DSSEv1 ${type_.length} `), type_, Buffer.from(` ${payload.length} `), payload]);
    assert.equal(pae, preAuthEncoding(env.payloadType, payload));
    const paeFile = path.join(work, `${type}.pae`);
    const sigFile = path.join(work, `${type}.sig`);
    await writeFile(paeFile, pae);
    await writeFile(sigFile, Buffer.from(env.signatures[0].sig, 'base64'));
    const args =
      type === 'ed25519'
        ? ['pkeyutl', '-verify', '-pubin', '-inkey', keys[type].pub, '-rawin', '-in', paeFile, '-sigfile', sigFile]
        : ['dgst', '-sha256', '-verify', keys[type].pub, '-signature', sigFile, paeFile];
    const ok = await execa('openssl', args, { reject: false });
    assert.is(ok.exitCode, 0, `${type}: ${ok.stdout} ${ok.stderr}`);
    // keyid: SHA-256 of the DER SubjectPublicKeyInfo, recomputed by openssl
    // (bytes as they are: execa strips a final 0x0a even from a buffer, which failed this test for one key in 128)
    const der = await execa('openssl', ['pkey', '-pubin', '-in', keys[type].pub, '-outform', 'DER'], {
      encoding: 'buffer',
      stripFinalNewline: false,
    });
    const { createHash } = await import('node:crypto');
    assert.is(
      env.signatures[0].keyid,
      createHash('sha256')
        .update(der.stdout as Uint8Array)
        .digest('hex'),
    );
    const tampered = Buffer.from(pae);
    tampered[tampered.length - 5] ^= 1;
    await writeFile(paeFile, tampered);
    const bad = await execa('openssl', args, { reject: false });
    assert.is.not(bad.exitCode, 0, `${type}: tampered PAE must not verify`);
  }
});

test('bad settings and missing keys fail clearly without echoing the key', async () => {
  const root = path.join(work, 'bad');
  await stageTree(root);
  const attempts: Array<[Record<string, unknown>, Record<string, string>, RegExp]> = [
    [{ formats: ['xml'] }, {}, /with\.formats/],
    [{ signingKey: { env: 'NOPE' } }, {}, /NOPE is not set/],
    [{ signingKey: { env: 'K' } }, { K: 'not a key SECRETVALUE' }, /not a readable PEM private key/],
    [{ signingKey: { file: 'missing.key' } }, {}, /missing\.key: ENOENT/],
    [{ signingKey: { url: 'x' } }, {}, /signingKey must be/],
  ];
  for (const [w, env, re] of attempts) {
    try {
      await sbomExt.run(ctxFor(root, w, env));
      assert.unreachable(JSON.stringify(w));
    } catch (err) {
      assert.match((err as Error).message, re);
      assert.not.match((err as Error).message, /SECRETVALUE/);
    }
  }
});

test('bpx sbom on a directory and on a droplet tarball; stdout and -o; SPDX; reproducible with SOURCE_DATE_EPOCH', async () => {
  const root = path.join(work, 'staged');
  const good = path.join(work, 'good.tgz');
  const a = await cli(['sbom', path.join(root, 'app')], { SOURCE_DATE_EPOCH: '1700000000' });
  assert.is(a.code, 0, a.err);
  const doc = JSON.parse(a.out);
  assert.is(doc.specVersion, '1.6');
  assert.is(doc.metadata.timestamp, '2023-11-14T22:13:20Z');
  assert.equal(cycloneDxValidator()(doc), []);
  const b = await cli(['sbom', path.join(root, 'app')], { SOURCE_DATE_EPOCH: '1700000000' });
  assert.is(b.out, a.out);
  const out = path.join(work, 'droplet.spdx.json');
  const c = await cli(['sbom', good, '--format', 'spdx', '-o', out]);
  assert.is(c.code, 0, c.err);
  const spdxDoc = JSON.parse(await readFile(out, 'utf8'));
  assert.is(spdxDoc.spdxVersion, 'SPDX-2.3');
  assert.ok(spdxDoc.packages.some((p: any) => p.name === 'apm-agent'));
  if (hasShared) assert.ok(spdxDoc.packages.length > 10);
  assert.is((await cli(['sbom', path.join(work, 'nope')])).code, 1);
  assert.is((await cli(['sbom', root, '--format', 'xml'])).code, 2);
  assert.is((await cli(['sbom', root], { SOURCE_DATE_EPOCH: 'yesterday' })).code, 2);
});

test.run();
