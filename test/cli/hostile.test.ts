// Hostile and malformed inputs through every command of the shipped CLI: bad flags, missing
// files, a folder where a file is expected, garbage and truncated tar.gz and zip files, hostile zips, bad keys (a
// public key as the private one, the private key as the public one, RSA, garbage), malformed and hostile YAML. Each
// run must end with one clear line naming the file or flag, exit with the documented code (2 usage, 1 failure; 87 a
// broken wrapper for `phase`), never show a stack trace, and leave nothing behind: its own fresh TMPDIR stays empty and
// the folder it ran in (where every output was pointed) is exactly as it was.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, cpSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tar from 'tar';
import { generateKeyPair } from '../../src/sbom/sign/keys.ts';
import { writeZip } from '../wrap/make-zip.ts';
import { ensureBundle, repoRoot, spawnBpx, spawnBpxAsync, tempDir } from './helpers.ts';

ensureBundle();

/** The inputs, all in one folder (the runs' working directory); outputs are pointed at out/ inside it. */
function fixtures(): string {
  const fx = tempDir('bpx-hostile-cli-');
  cpSync(join(repoRoot, 'test', 'lifecycle', 'fixtures', 'buildpacks', 'supply-only'), join(fx, 'bp'), { recursive: true });
  mkdirSync(join(fx, 'app'));
  writeFileSync(
    join(fx, 'app', 'package-lock.json'),
    JSON.stringify({
      name: 'a',
      version: '1.0.0',
      lockfileVersion: 3,
      packages: { '': { name: 'a' }, 'node_modules/left-pad': { version: '1.0.0' } },
    }),
  );
  mkdirSync(join(fx, 'empty'));
  mkdirSync(join(fx, 'folder.tgz'));
  mkdirSync(join(fx, 'folder.pem'));
  mkdirSync(join(fx, 'folder.yml'));
  mkdirSync(join(fx, 'kdir.key'));
  // archives: garbage, truncated real ones, a zip with an entry that climbs out
  writeFileSync(join(fx, 'garbage.tgz'), Buffer.from('\u001f\u008bnot really gzip at all, and no tar either'.repeat(8), 'latin1'));
  writeFileSync(join(fx, 'garbage.zip'), Buffer.from('PK\u0003\u0004 broken zip'.repeat(20), 'latin1'));
  tar.c({ gzip: true, file: join(fx, 'whole.tgz'), cwd: fx, sync: true }, ['app', 'bp']);
  writeFileSync(join(fx, 'truncated.tgz'), readFileSync(join(fx, 'whole.tgz')).subarray(0, 200));
  rmSync(join(fx, 'whole.tgz'));
  writeZip(join(fx, 'whole.zip'), [
    { name: 'bin/', mode: 0o040755 },
    { name: 'bin/supply', data: '#!/bin/sh\n'.repeat(200), mode: 0o100755 },
  ]);
  writeFileSync(join(fx, 'truncated.zip'), readFileSync(join(fx, 'whole.zip')).subarray(0, 700));
  rmSync(join(fx, 'whole.zip'));
  writeZip(join(fx, 'evil.zip'), [
    { name: 'bin/supply', data: '#!/bin/sh\n', mode: 0o100755 },
    { name: '../evil.txt', data: 'x' },
  ]);
  writeFileSync(join(fx, 'empty.tgz'), '');
  // keys
  const ed = generateKeyPair('ed25519');
  writeFileSync(join(fx, 'ed.key'), ed.privatePem, { mode: 0o600 });
  writeFileSync(join(fx, 'ed.pub'), ed.publicPem);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(fx, 'rsa.key'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(fx, 'rsa.pub'), rsa.publicKey.export({ type: 'spki', format: 'pem' }));
  writeFileSync(join(fx, 'garbage.pem'), '-----BEGIN PUBLIC KEY-----\nnot base64 at all!\n-----END PUBLIC KEY-----\n');
  // manifests
  const sbomWith = (file: string) =>
    `version: 1\nextensions:\n  - {name: sbom, at: finalize:after, uses: "builtin:sbom", with: {signingKey: {file: ${file}}}}\n`;
  const m: Record<string, string> = {
    'ok.yml': 'version: 1\nextensions: []\n',
    'bad.yml': 'version: 1\nextensions: [\n  - {name: a\n',
    'bomb.yml': `version: 1\na: &a [x,x,x,x,x,x,x,x,x]\n${Array.from(
      { length: 9 },
      (_, i) =>
        `l${i}: &l${i} [${Array(9)
          .fill(`*${i ? `l${i - 1}` : 'a'}`)
          .join(',')}]`,
    ).join('\n')}\n`,
    'cycle.yml': 'version: 1\nextensions: &a\n  - *a\n',
    'typo.yml': 'version: 1\nextensions:\n  - {name: osv, at: finalize:after, uses: "builtin:osv", with: {db: empty, failon: low}}\n',
    'pub-as-private.yml': sbomWith('ed.pub'),
    'rsa-key.yml': sbomWith('rsa.key'),
    'garbage-key.yml': sbomWith('garbage.pem'),
    'folder-key.yml': sbomWith('folder.pem'),
    'dangling-ref.yml': 'version: 1\nextensions:\n  - {name: a, at: supply:before, run: hooks/dangling.sh}\n',
  };
  for (const [name, text] of Object.entries(m)) writeFileSync(join(fx, name), text);
  writeFileSync(join(fx, 'binary.yml'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe]));
  mkdirSync(join(fx, 'hooks'));
  symlinkSync(join(fx, 'gone.sh'), join(fx, 'hooks', 'dangling.sh'));
  // an OSV database with one record, and SBOM-looking files that are not SBOMs
  mkdirSync(join(fx, 'db'));
  writeFileSync(
    join(fx, 'db', 'GHSA-aaaa-bbbb-cccc.json'),
    JSON.stringify({
      id: 'GHSA-aaaa-bbbb-cccc',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'npm', name: 'left-pad' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.3.0' }] }],
        },
      ],
    }),
  );
  writeFileSync(join(fx, 'broken.cdx.json'), '{"bomFormat": "CycloneDX", "components": [');
  writeFileSync(join(fx, 'null.cdx.json'), 'null');
  // a wrapper whose stored manifest is hostile YAML (a hand edit)
  mkdirSync(join(fx, 'wrapper', 'bpx'), { recursive: true });
  writeFileSync(join(fx, 'wrapper', 'bpx', 'bpx.yml'), m['cycle.yml']!);
  mkdirSync(join(fx, 'out'));
  chmodSync(fx, 0o755);
  return fx;
}

interface Case {
  argv: string[];
  code: number;
  /** the last line the command prints (stderr, else stdout): it names the file or flag */
  says: RegExp;
  env?: Record<string, string>;
}

const pkg = ['--package', 'pkg:npm/left-pad'];
const CASES: Case[] = [
  // top level
  { argv: ['nosuch'], code: 2, says: /^bpx: unknown command 'nosuch'/ },
  { argv: ['help', 'nosuch'], code: 2, says: /^bpx: unknown command 'nosuch'/ },

  // wrap
  { argv: ['wrap'], code: 2, says: /^bpx wrap: expected exactly one INNER buildpack/ },
  { argv: ['wrap', 'bp', '--bogus'], code: 2, says: /^bpx wrap: unknown option --bogus \(run bpx wrap --help\)$/ },
  { argv: ['wrap', 'bp', '--manifest'], code: 2, says: /^bpx wrap: -m\/--manifest needs a value/ },
  { argv: ['wrap', 'bp', '--manifest', 'ok.yml'], code: 2, says: /^bpx wrap: -o OUT is required$/ },
  { argv: ['wrap', 'nosuch', '--manifest', 'ok.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*nosuch: not found$/ },
  {
    argv: ['wrap', 'garbage.zip', '--manifest', 'ok.yml', '-o', 'out/w.zip'],
    code: 1,
    says: /^bpx wrap: \S*garbage\.zip: not a readable zip/,
  },
  {
    argv: ['wrap', 'truncated.zip', '--manifest', 'ok.yml', '-o', 'out/w.zip'],
    code: 1,
    says: /^bpx wrap: \S*truncated\.zip: not a readable zip/,
  },
  { argv: ['wrap', 'evil.zip', '--manifest', 'ok.yml', '-o', 'out/w'], code: 1, says: /evil\.zip.*\.\.\/evil\.txt/ },
  { argv: ['wrap', 'garbage.tgz', '--manifest', 'ok.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*garbage\.tgz: not a readable zip/ },
  { argv: ['wrap', 'empty', '--manifest', 'ok.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*empty: not a buildpack/ },
  { argv: ['wrap', 'bp', '--manifest', 'nosuch.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*nosuch\.yml: invalid manifest$/ },
  { argv: ['wrap', 'bp', '--manifest', 'folder.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*folder\.yml: invalid manifest$/ },
  { argv: ['wrap', 'bp', '--manifest', 'bad.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*bad\.yml: invalid manifest$/ },
  { argv: ['wrap', 'bp', '--manifest', 'bomb.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*bomb\.yml: invalid manifest$/ },
  { argv: ['wrap', 'bp', '--manifest', 'binary.yml', '-o', 'out/w'], code: 1, says: /^bpx wrap: \S*binary\.yml: invalid manifest$/ },
  {
    argv: ['wrap', 'bp', '--manifest', 'pub-as-private.yml', '-o', 'out/w'],
    code: 1,
    says: /^bpx wrap: \S*pub-as-private\.yml: invalid manifest$/,
  },
  {
    argv: ['wrap', 'bp', '--manifest', 'dangling-ref.yml', '-o', 'out/w'],
    code: 1,
    says: /^bpx wrap: \S*dangling-ref\.yml: invalid manifest$/,
  },
  {
    argv: ['wrap', 'bp', '--manifest', 'ok.yml', '--node', 'garbage.zip', '-o', 'out/w'],
    code: 1,
    says: /^bpx wrap: \S*garbage\.zip: does not run as Node/,
  },
  {
    argv: ['wrap', 'bp', '--manifest', 'ok.yml', '--node', 'folder.tgz', '-o', 'out/w'],
    code: 1,
    says: /^bpx wrap: \S*folder\.tgz: not a file/,
  },
  {
    argv: ['wrap', 'bp', '--manifest', 'ok.yml', '--node', 'nosuch', '-o', 'out/w'],
    code: 1,
    says: /^bpx wrap: \S*nosuch: no such file or directory$/,
  },
  { argv: ['wrap', 'bp', '--manifest', 'ok.yml', '-o', 'garbage.zip'], code: 1, says: /^bpx wrap: \S*garbage\.zip already exists/ },
  {
    argv: ['wrap', 'bp', '--manifest', 'ok.yml', '-o', 'garbage.zip/w'],
    code: 1,
    says: /^bpx wrap: \S*garbage\.zip: cannot create the output's folder: not a directory$/,
  },
  { argv: ['wrap', 'bp', '--manifest', 'ok.yml', '-o', 'bp', '--force'], code: 1, says: /bp.*is the inner buildpack/ },

  // validate (errors are printed located on stdout)
  { argv: ['validate'], code: 2, says: /^bpx validate: no manifest given/ },
  { argv: ['validate', '--bogus', 'ok.yml'], code: 2, says: /^bpx validate: unknown option --bogus/ },
  { argv: ['validate', 'nosuch.yml'], code: 1, says: /^nosuch\.yml:1:1: \(root\): file not found$/ },
  { argv: ['validate', 'folder.yml'], code: 1, says: /^folder\.yml:1:1: \(root\): is a folder, not a manifest file$/ },
  { argv: ['validate', 'binary.yml'], code: 1, says: /^binary\.yml:1:1: \(root\): not a text file/ },
  { argv: ['validate', 'garbage.tgz'], code: 1, says: /^garbage\.tgz:1:1: \(root\): not a text file/ },
  { argv: ['validate', 'bad.yml'], code: 1, says: /^bad\.yml:\d+:\d+: \(root\): YAML: / },
  { argv: ['validate', 'bomb.yml'], code: 1, says: /^bomb\.yml:\d+:\d+: \(root\): YAML: aliases expand to too many nodes/ },
  { argv: ['validate', 'cycle.yml'], code: 1, says: /^cycle\.yml:\d+:\d+: \(root\): YAML: alias \*a is inside its own anchor/ },
  {
    argv: ['validate', 'typo.yml'],
    code: 1,
    says: /^typo\.yml:3:\d+: extensions\[0\]\.with\.failon: unknown key 'failon' \(did you mean 'failOn'\?\)$/,
  },
  {
    argv: ['validate', 'pub-as-private.yml'],
    code: 1,
    says: /^pub-as-private\.yml:3:\d+: extensions\[0\]\.with\.signingKey\.file: signing key ed\.pub is a public key: signingKey needs the private key/,
  },
  {
    argv: ['validate', 'rsa-key.yml'],
    code: 1,
    says: /^rsa-key\.yml:3:\d+: extensions\[0\]\.with\.signingKey\.file: signing key rsa\.key is an RSA key: bpx signs with Ed25519 or ECDSA P-256/,
  },
  {
    argv: ['validate', 'garbage-key.yml'],
    code: 1,
    says: /^garbage-key\.yml:3:\d+: extensions\[0\]\.with\.signingKey\.file: signing key garbage\.pem is (a public key|not a PEM private key)/,
  },
  {
    argv: ['validate', 'folder-key.yml'],
    code: 1,
    says: /^folder-key\.yml:3:\d+: extensions\[0\]\.with\.signingKey\.file: signing key folder\.pem is not a file$/,
  },
  {
    argv: ['validate', 'dangling-ref.yml'],
    code: 1,
    says: /^dangling-ref\.yml:3:\d+: extensions\[0\]\.run: cannot ship hooks\/dangling\.sh: a dangling symbolic link/,
  },

  // stage
  { argv: ['stage'], code: 2, says: /^bpx stage: --app DIR is required$/ },
  { argv: ['stage', '--app', 'app', '--buildpack', 'bp'], code: 2, says: /^bpx stage: -o\/--output DIR is required$/ },
  { argv: ['stage', '--app', 'app', '--buildpack', 'bp', '-o', 'out/s', '--bogus'], code: 2, says: /^bpx stage: unknown option --bogus/ },
  { argv: ['stage', '--app', 'nosuch', '--buildpack', 'bp', '-o', 'out/s'], code: 2, says: /^bpx stage: --app nosuch: not a folder$/ },
  {
    argv: ['stage', '--app', 'garbage.zip', '--buildpack', 'bp', '-o', 'out/s'],
    code: 2,
    says: /^bpx stage: --app garbage\.zip: not a folder$/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'nosuch', '-o', 'out/s'],
    code: 2,
    says: /^bpx stage: buildpack 'nosuch': nosuch does not exist$/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'garbage.zip', '-o', 'out/s'],
    code: 2,
    says: /^bpx stage: buildpack 'garbage': cannot extract garbage\.zip: not a readable zip/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'truncated.zip', '-o', 'out/s'],
    code: 2,
    says: /^bpx stage: buildpack 'truncated': cannot extract truncated\.zip/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'evil.zip', '-o', 'out/s'],
    code: 2,
    says: /^bpx stage: buildpack 'evil': cannot extract evil\.zip: entry '\.\.\/evil\.txt'/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'garbage.tgz', '-o', 'out/s'],
    code: 2,
    says: /^bpx stage: buildpack 'garbage\.tgz': cannot extract garbage\.tgz: not a readable zip/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'bp', '-o', 'garbage.zip'],
    code: 2,
    says: /^bpx stage: -o garbage\.zip: exists and is not a folder$/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'bp', '-o', 'out/s', '--cache', 'garbage.zip'],
    code: 2,
    says: /^bpx stage: --cache garbage\.zip: exists and is not a folder$/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'bp', '-o', 'out/s', '--memory-limit', 'lots'],
    code: 2,
    says: /^bpx stage: --memory-limit lots: expected a size/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'bp', '-o', 'out/s', '--builder', 'x'],
    code: 2,
    says: /^bpx stage: --builder x: expected current or legacy$/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'bp', '-o', 'out/s', '--env', 'NOVALUE'],
    code: 2,
    says: /^bpx stage: --env NOVALUE: expected K=V$/,
  },
  {
    argv: ['stage', '--app', 'app', '--buildpack', 'bp', '-o', 'out/s'],
    code: 2,
    says: /^bpx stage: SOURCE_DATE_EPOCH must be whole seconds/,
    env: { SOURCE_DATE_EPOCH: 'yesterday' },
  },

  // phase (2 for usage; 87 when the wrapper's own manifest is broken, as the shims see it)
  { argv: ['phase'], code: 2, says: /^bpx phase: expected a phase/ },
  { argv: ['phase', 'nosuch', 'x'], code: 2, says: /^bpx phase: expected a phase .*got 'nosuch'$/ },
  { argv: ['phase', 'supply', 'app'], code: 2, says: /^bpx phase: BPX_WRAPPER_DIR is not set/ },
  { argv: ['phase', '--wrapper'], code: 2, says: /^bpx phase: --wrapper needs a DIR/ },
  { argv: ['phase', '--wrapper', 'nosuch', 'supply', 'app'], code: 2, says: /^bpx phase: --wrapper nosuch: not a folder$/ },
  { argv: ['phase', '--wrapper', 'garbage.zip', 'supply', 'app'], code: 2, says: /^bpx phase: --wrapper garbage\.zip: not a folder$/ },
  { argv: ['phase', '--wrapper', 'wrapper', 'detect'], code: 2, says: /^bpx phase: detect needs BUILD_DIR/ },
  {
    argv: ['phase', 'supply', 'app', 'cache', 'deps', '0'],
    code: 87,
    says: /^bpx: the operator manifest of this wrapped buildpack is invalid/,
    env: { BPX_WRAPPER_DIR: 'wrapper' },
  },
  {
    argv: ['phase', 'supply', 'app', 'cache', 'deps', '0'],
    code: 87,
    says: /^bpx: the operator manifest of this wrapped buildpack is invalid/,
    env: { BPX_WRAPPER_DIR: 'nosuch' },
  },

  // sbom
  { argv: ['sbom'], code: 2, says: /^bpx sbom: give one app directory or droplet tarball$/ },
  { argv: ['sbom', 'app', '--format', 'pdf'], code: 2, says: /^bpx sbom: --format must be cyclonedx or spdx, got pdf$/ },
  { argv: ['sbom', 'app', '--max-file-bytes', 'lots'], code: 2, says: /^bpx sbom: --max-file-bytes lots: expected a size/ },
  { argv: ['sbom', 'app', '-o'], code: 2, says: /^bpx sbom: -o\/--output needs a value/ },
  { argv: ['sbom', 'app', '-o', 'folder.tgz'], code: 2, says: /^bpx sbom: -o folder\.tgz: is a folder/ },
  { argv: ['sbom', 'nosuch', '-o', 'out/x.json'], code: 1, says: /^bpx sbom: \S*nosuch: no such file or directory$/ },
  { argv: ['sbom', 'garbage.tgz', '-o', 'out/x.json'], code: 1, says: /^bpx sbom: \S*garbage\.tgz: not a readable droplet/ },
  { argv: ['sbom', 'truncated.tgz', '-o', 'out/x.json'], code: 1, says: /^bpx sbom: \S*truncated\.tgz: not a readable droplet/ },
  { argv: ['sbom', 'garbage.zip', '-o', 'out/x.json'], code: 1, says: /^bpx sbom: \S*garbage\.zip: not a readable droplet/ },
  { argv: ['sbom', 'empty.tgz', '-o', 'out/x.json'], code: 1, says: /^bpx sbom: \S*empty\.tgz: not a readable droplet/ },
  {
    argv: ['sbom', 'app', '-o', 'garbage.zip/x.json'],
    code: 1,
    says: /^bpx sbom: cannot write \S*garbage\.zip\/x\.json: a file sits where a folder must be$/,
  },
  { argv: ['sbom', 'app'], code: 2, says: /^bpx sbom: SOURCE_DATE_EPOCH/, env: { SOURCE_DATE_EPOCH: '-1' } },

  // keygen
  { argv: ['keygen'], code: 2, says: /^bpx keygen: -o PREFIX is required/ },
  { argv: ['keygen', '--type', 'rsa', '-o', 'out/k'], code: 2, says: /^bpx keygen: --type must be ed25519 or ecdsa-p256, got rsa$/ },
  { argv: ['keygen', '-o', 'out/k', 'extra'], code: 2, says: /^bpx keygen: unexpected argument 'extra'/ },
  { argv: ['keygen', '-o', 'garbage.zip/k'], code: 1, says: /^bpx keygen: cannot create the folder \S*garbage\.zip: not a directory$/ },
  { argv: ['keygen', '-o', 'ed'], code: 1, says: /^bpx keygen: \S*ed\.key exists; use --force to overwrite$/ },
  { argv: ['keygen', '-o', 'kdir'], code: 1, says: /^bpx keygen: \S*kdir\.key is a folder; choose another -o PREFIX$/ },

  // verify
  { argv: ['verify'], code: 2, says: /^bpx verify: give one droplet tarball or directory$/ },
  { argv: ['verify', 'garbage.tgz'], code: 2, says: /^bpx verify: --key PUB\.pem is required$/ },
  { argv: ['verify', 'nosuch.tgz', '--key', 'ed.pub'], code: 2, says: /^bpx verify: nosuch\.tgz: no such file or directory$/ },
  { argv: ['verify', 'garbage.tgz', '--key', 'ed.pub'], code: 1, says: /^bpx verify: \S*garbage\.tgz: not a readable droplet/ },
  { argv: ['verify', 'truncated.tgz', '--key', 'ed.pub'], code: 1, says: /^bpx verify: \S*truncated\.tgz: not a readable droplet/ },
  { argv: ['verify', 'garbage.zip', '--key', 'ed.pub'], code: 1, says: /^bpx verify: \S*garbage\.zip: not a readable droplet/ },
  { argv: ['verify', 'empty.tgz', '--key', 'ed.pub'], code: 1, says: /^bpx verify: \S*empty\.tgz: not a readable droplet/ },
  { argv: ['verify', 'empty', '--key', 'ed.pub'], code: 1, says: /^FAIL no-signature: no signature/ },
  { argv: ['verify', 'garbage.tgz', '--key', 'ed.key'], code: 2, says: /^bpx verify: --key ed\.key: a private key; give the public key/ },
  { argv: ['verify', 'garbage.tgz', '--key', 'rsa.pub'], code: 2, says: /^bpx verify: --key rsa\.pub: unsupported key type rsa/ },
  {
    argv: ['verify', 'garbage.tgz', '--key', 'garbage.pem'],
    code: 2,
    says: /^bpx verify: --key garbage\.pem: not a readable PEM public key$/,
  },
  { argv: ['verify', 'garbage.tgz', '--key', 'folder.pem'], code: 2, says: /^bpx verify: --key folder\.pem: is a folder/ },
  {
    argv: ['verify', 'garbage.tgz', '--key', 'nosuch.pem'],
    code: 2,
    says: /^bpx verify: --key nosuch\.pem: cannot read the public key \(no such file or directory\)$/,
  },

  // scan
  { argv: ['scan'], code: 2, says: /^bpx scan: give at least one TARGET/ },
  { argv: ['scan', 'app'], code: 2, says: /^bpx scan: --db DB \(OSV\) or --nvd DIR \(NVD\) is required$/ },
  { argv: ['scan', 'app', '--db'], code: 2, says: /^bpx scan: --db needs a value/ },
  { argv: ['scan', 'app', '--db', 'db', '--fail-on', 'x'], code: 2, says: /^bpx scan: --fail-on must be one of/ },
  { argv: ['scan', 'app', '--db', 'nosuch'], code: 2, says: /^bpx scan: \S*nosuch: no such OSV database/ },
  { argv: ['scan', 'app', '--db', 'empty'], code: 2, says: /^bpx scan: 0 advisories loaded from empty/ },
  { argv: ['scan', 'app', '--db', 'garbage.zip'], code: 2, says: /^bpx scan: 0 advisories loaded from garbage\.zip/ },
  { argv: ['scan', 'app', '--db', 'bad.yml'], code: 2, says: /^bpx scan: 0 advisories loaded from bad\.yml/ },
  { argv: ['scan', 'app', '--db', 'db', '--key', 'ed.key'], code: 2, says: /^bpx scan: --key ed\.key: a private key/ },
  { argv: ['scan', 'app', '--db', 'db', '--key', 'rsa.pub'], code: 2, says: /^bpx scan: --key rsa\.pub: unsupported key type rsa/ },
  {
    argv: ['scan', 'app', '--db', 'db', '--key', 'garbage.pem'],
    code: 2,
    says: /^bpx scan: --key garbage\.pem: not a readable PEM public key$/,
  },
  { argv: ['scan', 'app', '--db', 'db', '--key', 'folder.pem'], code: 2, says: /^bpx scan: --key folder\.pem: is a folder/ },
  { argv: ['scan', 'garbage.tgz', '--db', 'db'], code: 2, says: /^bpx scan: garbage\.tgz: not a readable droplet/ },
  { argv: ['scan', 'truncated.tgz', '--db', 'db'], code: 2, says: /^bpx scan: truncated\.tgz: not a readable droplet/ },
  { argv: ['scan', 'garbage.zip', '--db', 'db'], code: 2, says: /^bpx scan: garbage\.zip: neither a droplet tarball/ },
  { argv: ['scan', 'broken.cdx.json', '--db', 'db'], code: 2, says: /^bpx scan: broken\.cdx\.json: not JSON/ },
  {
    argv: ['scan', 'null.cdx.json', '--db', 'db', '--sarif'],
    code: 2,
    says: /^bpx scan: null\.cdx\.json: not a CycloneDX or SPDX JSON document/,
  },
  { argv: ['scan', 'nosuch', '--db', 'db', '--json'], code: 2, says: /^bpx scan: nosuch: no such file or directory$/ },
  { argv: ['scan', 'empty', '--db', 'db'], code: 1, says: /^bpx scan: 1 target failed a check: empty \(empty\)$/ },

  // query
  { argv: ['query'], code: 2, says: /^bpx query: give at least one TARGET/ },
  { argv: ['query', 'app'], code: 2, says: /^bpx query: give exactly one of --package PURL or --buildpack NAME$/ },
  { argv: ['query', 'app', '--package', 'notapurl'], code: 2, says: /^bpx query: --package notapurl: not a package URL/ },
  { argv: ['query', 'app', ...pkg, '--range', '>>>'], code: 2, says: /^bpx query: --range >>>: not an npm semver range/ },
  { argv: ['query', 'garbage.tgz', ...pkg], code: 2, says: /^bpx query: garbage\.tgz: not a readable droplet/ },
  { argv: ['query', 'truncated.tgz', ...pkg, '--json'], code: 2, says: /^bpx query: truncated\.tgz: not a readable droplet/ },
  { argv: ['query', 'broken.cdx.json', '--buildpack', 'nodejs'], code: 2, says: /^bpx query: broken\.cdx\.json: not JSON/ },
  { argv: ['query', 'nosuch', '--buildpack', 'nodejs'], code: 2, says: /^bpx query: nosuch: no such file or directory$/ },
  { argv: ['query', 'empty', ...pkg], code: 2, says: /^bpx query: empty: no droplet, SBOM or package found/ },

  // serve-hooks and serve-signer: every bad flag is refused before anything listens
  { argv: ['serve-hooks', 'stray'], code: 2, says: /^bpx serve-hooks: unexpected argument 'stray'/ },
  { argv: ['serve-hooks', '--port', 'eighty'], code: 2, says: /^bpx serve-hooks: --port eighty: not a port number/ },
  { argv: ['serve-hooks', '--port', '99999'], code: 2, says: /^bpx serve-hooks: --port 99999: not a port number/ },
  { argv: ['serve-hooks', '--policy', 'nosuch.yml'], code: 2, says: /^bpx serve-hooks: --policy nosuch\.yml: no such file or directory$/ },
  { argv: ['serve-hooks', '--policy', 'folder.yml'], code: 2, says: /^bpx serve-hooks: --policy folder\.yml: is a folder/ },
  { argv: ['serve-hooks', '--policy', 'bad.yml'], code: 2, says: /^bpx serve-hooks: bad\.yml:\d+: not valid YAML\/JSON/ },
  { argv: ['serve-hooks', '--policy', 'bomb.yml'], code: 2, says: /^bpx serve-hooks: bomb\.yml/ },
  { argv: ['serve-hooks', '--policy', 'binary.yml'], code: 2, says: /^bpx serve-hooks: binary\.yml/ },
  {
    argv: ['serve-hooks', '--token-env', 'BPX_TEST_UNSET_VAR'],
    code: 2,
    says: /^bpx serve-hooks: --token-env BPX_TEST_UNSET_VAR: that environment variable is not set/,
  },
  { argv: ['serve-hooks', '--tls-cert', 'ed.pub'], code: 2, says: /^bpx serve-hooks: --tls-cert and --tls-key go together$/ },
  {
    argv: ['serve-hooks', '--tls-cert', 'garbage.pem', '--tls-key', 'ed.key'],
    code: 2,
    says: /^bpx serve-hooks: --tls-cert garbage\.pem: not a PEM certificate$/,
  },
  {
    argv: ['serve-hooks', '--tls-cert', 'nosuch.pem', '--tls-key', 'ed.key'],
    code: 2,
    says: /^bpx serve-hooks: --tls-cert nosuch\.pem: no such file or directory$/,
  },
  { argv: ['serve-signer'], code: 2, says: /^bpx serve-signer: --key KEY\.pem is required/ },
  { argv: ['serve-signer', '--key'], code: 2, says: /^bpx serve-signer: --key needs a value/ },
  { argv: ['serve-signer', '--key', 'nosuch.pem'], code: 2, says: /^bpx serve-signer: --key nosuch\.pem: no such file or directory$/ },
  { argv: ['serve-signer', '--key', 'folder.pem'], code: 2, says: /^bpx serve-signer: --key folder\.pem: is a folder/ },
  {
    argv: ['serve-signer', '--key', 'ed.pub'],
    code: 2,
    says: /^bpx serve-signer: --key ed\.pub: a public key; the signer needs the private key/,
  },
  { argv: ['serve-signer', '--key', 'rsa.key'], code: 2, says: /^bpx serve-signer: --key rsa\.key: unsupported key type rsa/ },
  { argv: ['serve-signer', '--key', 'garbage.pem'], code: 2, says: /^bpx serve-signer: --key garbage\.pem: / },
  { argv: ['serve-signer', '--key', 'ed.key', '--port', '-1'], code: 2, says: /^bpx serve-signer: --port needs a value/ },
  { argv: ['serve-signer', '--key', 'ed.key', '--port', '70000'], code: 2, says: /^bpx serve-signer: --port 70000: not a port number/ },
];

/** Every path below dir with its type and size: what must be the same before and after a failed run. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const n of readdirSync(d).sort()) {
      const st = lstatSync(join(d, n));
      out.push(`${rel}${n} ${st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : `f${st.size}`} ${(st.mode & 0o777).toString(8)}`);
      if (st.isDirectory()) walk(join(d, n), `${rel}${n}/`);
    }
  };
  walk(dir, '');
  return out;
}

const STACK = /\n\s+at \S|internal error|\b(TypeError|ReferenceError|RangeError|SyntaxError)\b|Error \[ERR_|node:internal/;
const NODE_ARGS_TEXT = /To specify a positional|Unknown option '|argument missing|argument is ambiguous/;

/** What is wrong with one run of one case, in its own fixture folder (nothing when it behaved). */
async function check(c: Case, fx: string, before: string[]): Promise<string | undefined> {
  const tmp = tempDir('bpx-hostile-tmp-');
  const r = await spawnBpxAsync(c.argv, fx, tmp, c.env);
  const text = r.err.trim() ? r.err : r.out;
  const last = text.trim().split('\n').pop() ?? '';
  const problems: string[] = [];
  if (r.code !== c.code) problems.push(`exit ${r.code}, expected ${c.code}`);
  if (!c.says.test(last)) problems.push(`last line ${JSON.stringify(last)} does not match ${c.says}`);
  if (last.length > 400) problems.push(`last line is ${last.length} characters long`);
  if (STACK.test(r.err) || STACK.test(r.out)) problems.push('a stack trace or internal error');
  if (NODE_ARGS_TEXT.test(r.err)) problems.push("node:util parseArgs' own text");
  const left = readdirSync(tmp);
  if (left.length) problems.push(`left in TMPDIR: ${left.join(', ')}`);
  const after = snapshot(fx);
  if (after.join('\n') !== before.join('\n')) {
    const added = after.filter((l) => !before.includes(l));
    const removed = before.filter((l) => !after.includes(l));
    problems.push(`the working folder changed: +[${added.join(', ')}] -[${removed.join(', ')}]`);
    // put it back so that one failure does not fail every later case
    for (const l of added) rmSync(join(fx, l.split(' ')[0]!), { recursive: true, force: true });
  }
  rmSync(tmp, { recursive: true, force: true });
  return problems.length
    ? `bpx ${c.argv.join(' ')}\n    ${problems.join('\n    ')}\n    stderr: ${r.err.trim().split('\n').slice(-3).join(' | ')}`
    : undefined;
}

test('every command, every hostile input: one clear last line, the documented exit code, no stack, nothing left', async () => {
  // two lanes, each with its own copy of the inputs, so that a leftover is pinned on the run that left it
  const lanes = [fixtures(), fixtures()];
  const failures: string[] = [];
  await Promise.all(
    lanes.map(async (fx, lane) => {
      const before = snapshot(fx);
      for (const c of CASES.filter((_, i) => i % lanes.length === lane)) {
        const problem = await check(c, fx, before);
        if (problem) failures.push(problem);
      }
    }),
  );
  assert.is(failures.length, 0, `\n${failures.join('\n')}`);
});

test('--json and --sarif still print their document when a target is unreadable', () => {
  const fx = fixtures();
  const tmp = tempDir('bpx-hostile-tmp-');
  const scan = spawnBpx(['scan', 'garbage.tgz', 'app', '--db', 'db', '--json'], fx, tmp);
  assert.is(scan.code, 2, scan.err);
  const targets = JSON.parse(scan.out).targets as Array<{ target: string; error?: string }>;
  assert.equal(
    targets.map((t) => [t.target, typeof t.error]),
    [
      ['garbage.tgz', 'string'],
      ['app', 'undefined'],
    ],
  );
  assert.match(targets[0]!.error!, /^not a readable droplet/);
  const sarif = spawnBpx(['scan', 'truncated.tgz', '--db', 'db', '--sarif'], fx, tmp);
  assert.is(sarif.code, 2);
  assert.ok(JSON.parse(sarif.out).runs[0].invocations[0].toolExecutionNotifications.length >= 1);
  const query = spawnBpx(['query', 'garbage.tgz', 'app', '--package', 'pkg:npm/left-pad', '--json'], fx, tmp);
  assert.is(query.code, 2);
  const q = JSON.parse(query.out) as { matches: Array<{ target: string }>; errors: Array<{ target: string; error: string }> };
  assert.equal(
    q.matches.map((m) => m.target),
    ['app'],
  );
  assert.equal(
    q.errors.map((e) => e.target),
    ['garbage.tgz'],
  );
  const verify = spawnBpx(['verify', 'garbage.tgz', '--key', 'ed.key', '--json'], fx, tmp);
  assert.is(verify.code, 2);
  assert.is(JSON.parse(verify.out).failures[0].code, 'bad-key');
  assert.equal(readdirSync(tmp), []);
});

test.run();
