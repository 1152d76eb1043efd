// Issue 11: `bpx verify --json` prints one JSON document on stdout on every outcome (valid, invalid signature, no SBOM,
// an unreadable droplet, a bad key, a missing droplet, a usage error) with the exit codes of `bpx verify --help`:
// 0 verified, 1 not verified (the droplet cannot be read included), 2 usage (a bad --key included).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureDir } from '../../src/catalog/index.ts';
import { writeDroplet } from '../../src/droplet/write.ts';
import { stageSbom } from '../../src/sbom/stage.ts';
import { createLocalSigner, generateKeyPair } from '../../src/sbom/sign/keys.ts';
import { cli, tempDir } from './helpers.ts';

interface Fixture {
  root: string;
}

/** signed.tgz (signed with key.key), unsigned.tgz, garbage and truncated tarballs, and keys of every wrong kind. */
async function fixture(): Promise<Fixture> {
  const root = tempDir('bpx-verify-json-');
  const pair = generateKeyPair('ed25519');
  const other = generateKeyPair('ed25519');
  writeFileSync(join(root, 'key.key'), pair.privatePem);
  writeFileSync(join(root, 'key.pub'), pair.publicPem);
  writeFileSync(join(root, 'other.pub'), other.publicPem);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(root, 'rsa.pub'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(root, 'garbage.pem'), 'this is not a key\n');
  mkdirSync(join(root, 'keydir'));
  for (const [name, sign] of [
    ['signed', true],
    ['unsigned', false],
  ] as const) {
    const dir = join(root, name);
    mkdirSync(join(dir, 'app'), { recursive: true });
    mkdirSync(join(dir, 'deps', '0'), { recursive: true });
    writeFileSync(
      join(dir, 'app', 'package-lock.json'),
      JSON.stringify({
        name: 'a',
        version: '1.0.0',
        lockfileVersion: 3,
        packages: { '': { name: 'a' }, 'node_modules/left-pad': { version: '1.3.0' } },
      }),
    );
    writeFileSync(join(dir, 'deps', '0', 'config.yml'), 'name: nodejs\nversion: 1.9.4\nconfig: {}\n');
    writeFileSync(join(dir, 'staging_info.yml'), JSON.stringify({ detected_buildpack: 'nodejs', start_command: 'npm start' }));
    if (sign) {
      await stageSbom({
        capture: await captureDir(join(dir, 'app')),
        phase: 'finalize',
        buildDir: join(dir, 'app'),
        depsDir: join(dir, 'deps'),
        depsIdx: '0',
        env: {},
        known: [{ index: '0', key: 'nodejs_buildpack' }],
        formats: ['cyclonedx'],
        signer: createLocalSigner(pair.privatePem),
      });
    }
    await writeDroplet(dir, join(root, `${name}.tgz`));
  }
  writeFileSync(join(root, 'garbage.tgz'), Buffer.from('definitely not gzip, not tar'));
  writeFileSync(join(root, 'truncated.tgz'), readFileSync(join(root, 'signed.tgz')).subarray(0, 300));
  return { root };
}

interface Outcome {
  code: number;
  json: { ok: boolean; envelopes: string[]; subjects: unknown[]; failures: Array<{ code: string; message: string }>; issues: unknown[] };
  err: string;
}

async function verify(f: Fixture, argv: string[]): Promise<Outcome> {
  const r = await cli(['verify', ...argv, '--json'], f.root);
  let json;
  try {
    json = JSON.parse(r.out);
  } catch {
    assert.unreachable(`stdout is one JSON document for ${argv.join(' ')}: ${JSON.stringify(r.out)} (stderr ${r.err})`);
  }
  assert.type(json.ok, 'boolean');
  assert.ok(
    Array.isArray(json.failures) && Array.isArray(json.subjects) && Array.isArray(json.envelopes) && Array.isArray(json.issues),
    'the same shape on every outcome',
  );
  assert.is(json.ok, r.code === 0, `ok is true exactly when the exit code is 0 (${argv.join(' ')})`);
  assert.not.match(r.err, /internal error|\n\s+at /, 'no stack trace');
  return { code: r.code, json, err: r.err };
}

test('verify --json: every outcome is one JSON document and its documented exit code', async () => {
  const f = await fixture();
  const ok = await verify(f, ['signed.tgz', '--key', 'key.pub']);
  assert.is(ok.code, 0, ok.err);
  assert.is(ok.json.failures.length, 0);
  assert.ok(ok.json.subjects.length > 0);

  const cases: Array<[string, string[], number, string, RegExp]> = [
    ['invalid signature (another key)', ['signed.tgz', '--key', 'other.pub'], 1, 'wrong-key', /does not verify with the given key/],
    ['no SBOM', ['unsigned.tgz', '--key', 'key.pub'], 1, 'no-signature', /no signature/],
    ['an empty folder as the droplet', ['keydir', '--key', 'key.pub'], 1, 'no-signature', /no signature/],
    ['unreadable droplet (garbage)', ['garbage.tgz', '--key', 'key.pub'], 1, 'unreadable', /garbage\.tgz: not a readable droplet/],
    ['unreadable droplet (truncated)', ['truncated.tgz', '--key', 'key.pub'], 1, 'unreadable', /truncated\.tgz: not a readable droplet/],
    ['missing droplet', ['nosuch.tgz', '--key', 'key.pub'], 2, 'not-found', /^nosuch\.tgz: no such file or directory$/],
    ['bad key: the private key', ['signed.tgz', '--key', 'key.key'], 2, 'bad-key', /^--key key\.key: a private key; give the public key/],
    [
      'bad key: RSA',
      ['signed.tgz', '--key', 'rsa.pub'],
      2,
      'bad-key',
      /^--key rsa\.pub: unsupported key type rsa: use Ed25519 or ECDSA P-256$/,
    ],
    ['bad key: garbage', ['signed.tgz', '--key', 'garbage.pem'], 2, 'bad-key', /^--key garbage\.pem: not a readable PEM public key$/],
    [
      'bad key: missing',
      ['signed.tgz', '--key', 'nosuch.pub'],
      2,
      'bad-key',
      /^--key nosuch\.pub: cannot read the public key \(no such file or directory\)$/,
    ],
    ['bad key: a folder', ['signed.tgz', '--key', 'keydir'], 2, 'bad-key', /^--key keydir: is a folder/],
    ['usage: no --key', ['signed.tgz'], 2, 'usage', /^--key PUB\.pem is required$/],
    ['usage: two droplets', ['signed.tgz', 'unsigned.tgz', '--key', 'key.pub'], 2, 'usage', /^give one droplet/],
    [
      'usage: unknown option',
      ['signed.tgz', '--key', 'key.pub', '--bogus'],
      2,
      'usage',
      /^unknown option --bogus \(run bpx verify --help\)$/,
    ],
  ];
  for (const [name, argv, code, failure, message] of cases) {
    const r = await verify(f, argv);
    assert.is(r.code, code, `${name}: ${r.err}`);
    assert.ok(r.json.failures.length >= 1, name);
    assert.is(r.json.failures[0]!.code, failure, name);
    assert.match(r.json.failures[0]!.message, message, name);
    // stderr: nothing for a verification verdict (it is in the JSON), else the same one line
    if (code === 2 || failure === 'unreadable') assert.is(r.err, `bpx verify: ${r.json.failures[0]!.message}\n`, name);
  }
});

test('verify without --json: the same exit codes, one line per failure on stderr', async () => {
  const f = await fixture();
  const good = await cli(['verify', 'signed.tgz', '--key', 'key.pub'], f.root);
  assert.is(good.code, 0, good.err);
  assert.match(good.out, /^verified: app\/\.bpx\/sbom\.intoto\.jsonl/);
  const wrong = await cli(['verify', 'signed.tgz', '--key', 'other.pub'], f.root);
  assert.is(wrong.code, 1);
  assert.match(wrong.err, /^FAIL wrong-key: /);
  const bad = await cli(['verify', 'garbage.tgz', '--key', 'key.key'], f.root);
  assert.is(bad.code, 2);
  assert.is(bad.out, '');
  assert.match(bad.err, /^bpx verify: --key key\.key: a private key; give the public key .*\n$/);
});

test.run();
