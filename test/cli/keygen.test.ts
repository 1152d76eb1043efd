// bpx keygen: -o/--output, a folder as prefix, clear messages, and never half a key pair.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { bundle, ensureBundle, tempDir } from '../lifecycle/helpers.ts';
import { loadPublicKey, createLocalSigner } from '../../src/sbom/sign/keys.ts';

ensureBundle();
const keygen = async (cwd: string, args: string[]) => {
  const r = await execa(process.execPath, [bundle, 'keygen', ...args], { cwd, reject: false });
  return { code: r.exitCode, stdout: r.stdout, stderr: r.stderr };
};

function assertPair(prefix: string) {
  const priv = readFileSync(`${prefix}.key`, 'utf8');
  const pub = loadPublicKey(readFileSync(`${prefix}.pub`));
  assert.is(createLocalSigner(priv).keyid, pub.keyid, 'the two files belong together');
  assert.is(statSync(`${prefix}.key`).mode & 0o777, 0o600);
}

test('-o DIR/ and an existing folder write bpx.key and bpx.pub inside it; --output is the long spelling', async () => {
  const root = tempDir();
  let r = await keygen(root, ['-o', 'keys/']);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(root, 'keys')).sort(), ['bpx.key', 'bpx.pub']);
  assertPair(join(root, 'keys', 'bpx'));
  assert.not.ok(existsSync(join(root, 'keys.key')));
  mkdirSync(join(root, 'existing'));
  r = await keygen(root, ['--output', 'existing', '--type', 'ecdsa-p256']);
  assert.is(r.code, 0, r.stderr);
  assertPair(join(root, 'existing', 'bpx'));
  assert.match(r.stdout, `${join(root, 'existing', 'bpx.key')}\n${join(root, 'existing', 'bpx.pub')}\nkeyid `);
  r = await keygen(root, ['--output', 'deep/er/signer']);
  assert.is(r.code, 0, r.stderr);
  assertPair(join(root, 'deep', 'er', 'signer'));
  // the old spelling still works
  assert.is((await keygen(root, ['--out', 'old'])).code, 0);
  assertPair(join(root, 'old'));
});

test('no half key pairs: a target that cannot be written leaves neither file; messages name the file, once', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'k.pub'));
  for (const extra of [[], ['--force']]) {
    const r = await keygen(root, ['-o', 'k', ...extra]);
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, `${join(root, 'k.pub')} is a folder`);
    assert.not.ok(existsSync(join(root, 'k.key')), 'no private key alone');
  }
  writeFileSync(join(root, 'a-file'), 'x');
  const r = await keygen(root, ['-o', 'a-file/sub/k']);
  assert.is(r.code, 1);
  assert.match(r.stderr, `cannot create the folder ${join(root, 'a-file', 'sub')}: not a directory`);
  assert.not.match(r.stderr, /E[A-Z]{3,}/, 'no bare error codes');
  // only the private key exists: refused without --force, naming it; nothing else written
  writeFileSync(join(root, 'half.key'), 'old');
  const h = await keygen(root, ['-o', 'half']);
  assert.is(h.code, 1);
  assert.match(h.stderr, `${join(root, 'half.key')} exists; use --force`);
  assert.not.ok(existsSync(join(root, 'half.pub')));
  assert.is((await keygen(root, ['-o', 'half', '--force'])).code, 0);
  assertPair(join(root, 'half'));
  assert.equal(
    readdirSync(root).filter((n) => n.endsWith('.tmp')),
    [],
    'no temp files left',
  );
  assert.is((await keygen(root, [])).code, 2);
});

test('keygen --help says ECDSA P-256 signatures are randomised', async () => {
  const r = await keygen(tempDir(), ['--help']);
  assert.match(r.stdout + r.stderr, 'ECDSA P-256 signatures are randomised');
});

test.run();
