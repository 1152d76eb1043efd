// Built-in settings: each built-in declares `with:` as a JSON Schema; validate, wrap and the loader
// check it, and the files, keys and URLs it names, with file:line:col: path: message errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { join } from 'node:path';
import { execa } from 'execa';
import { Ajv } from 'ajv';
import { loadManifest, checkManifestText } from '../../src/manifest/load.ts';
import { BUILTIN_ALIASES, builtins } from '../../extensions/index.ts';
import { builtinSettings } from '../../extensions/settings.ts';
import { parseSettings as osvParse } from '../../extensions/osv/index.ts';
import { parsePolicy } from '../../src/license/index.ts';
import { generateKeyPair } from '../../src/sbom/sign/keys.ts';
import { bundle, ensureBundle, fixtures, repoRoot, tempDir } from '../lifecycle/helpers.ts';

const names = Object.keys(builtins);

/** An operator folder with keys of every kind and a one-record OSV database. */
function opsDir(): string {
  const d = tempDir('bpx-settings-');
  mkdirSync(join(d, 'keys'));
  const ed = generateKeyPair('ed25519');
  writeFileSync(join(d, 'keys', 'bpx.key'), ed.privatePem);
  writeFileSync(join(d, 'keys', 'bpx.pub'), ed.publicPem);
  writeFileSync(join(d, 'keys', 'p256.key'), generateKeyPair('ecdsa-p256').privatePem);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(join(d, 'keys', 'rsa.key'), rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  writeFileSync(join(d, 'keys', 'p384.key'), p384.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const enc = generateKeyPairSync('ed25519');
  writeFileSync(
    join(d, 'keys', 'enc.key'),
    enc.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }),
  );
  writeFileSync(join(d, 'keys', 'garbage.key'), 'not a key\n');
  mkdirSync(join(d, 'osv-db', 'npm'), { recursive: true });
  writeFileSync(join(d, 'osv-db', 'npm', 'GHSA-1.json'), JSON.stringify({ id: 'GHSA-1', modified: '2026-01-01T00:00:00Z', affected: [] }));
  mkdirSync(join(d, 'empty-db'));
  writeFileSync(join(d, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
  return d;
}

async function errorsOf(dir: string, exts: string): Promise<string[]> {
  writeFileSync(join(dir, 'bpx.yml'), `version: 1\nextensions:\n${exts}`);
  const r = await loadManifest(join(dir, 'bpx.yml'), { builtinNames: names });
  return r.errors.map((e) => `${e.line}:${e.column}: ${e.path}: ${e.severity === 'warning' ? 'warning: ' : ''}${e.message}`);
}

test('every registered built-in declares its settings (extensions/<name>/settings.ts, schemas/settings/<name>.schema.json)', async () => {
  assert.equal(Object.keys(builtinSettings).sort(), Object.keys(builtins).sort());
  const ajv = new Ajv({ strict: false });
  for (const name of Object.keys(builtins)) {
    // an alias (builtin:vulnerabilities) has the settings of the built-in it names
    const n = BUILTIN_ALIASES[name] ?? name;
    if (n !== name) {
      assert.is((await builtinSettings[name]()).schema, (await builtinSettings[n]()).schema, name);
      continue;
    }
    assert.ok(existsSync(join(repoRoot, 'extensions', n, 'settings.ts')), n);
    const file = join(repoRoot, 'schemas', 'settings', `${n}.schema.json`);
    const schema = JSON.parse(readFileSync(file, 'utf8'));
    assert.is((await builtinSettings[n]()).schema, (await builtinSettings[n]()).schema);
    assert.equal((await builtinSettings[n]()).schema, schema, n);
    assert.is(schema.additionalProperties, false, `${n}: unknown settings are errors`);
    ajv.compile(schema);
  }
  assert.equal(
    readdirSync(join(repoRoot, 'schemas', 'settings')).sort(),
    Object.keys(builtins)
      .filter((n) => !BUILTIN_ALIASES[n])
      .map((n) => `${n}.schema.json`)
      .sort(),
  );
});

test('typos in built-in settings are located errors: failon, deny: MIT, formats: [pdf], unknown settings', async () => {
  const d = opsDir();
  assert.equal(
    await errorsOf(
      d,
      `  - name: vulns
    uses: builtin:osv
    at: finalize:after
    with: {db: osv-db, failon: low}
  - name: licenses
    uses: builtin:license-policy
    at: [finalize:after]
    with: {deny: MIT, exceptions: [{purl: "pkg:npm/x", reason: ok, alow: [MIT]}]}
  - name: sbom
    uses: builtin:sbom
    at: [finalize:after]
    with: {formats: [pdf]}
  - name: versions
    uses: builtin:detect-versions
    at: [detect:after]
    with: {line: short}
  - name: capture
    uses: builtin:capture
    at: [finalize:after]
    with: {includeDev: "yes"}
  - name: vulns2
    uses: builtin:osv
    at: [finalize:after]
    with: {failOn: hihg, maxAge: 7 days, ignore: [{id: X}]}
`,
    ),
    [
      "6:24: extensions[0].with.failon: unknown key 'failon' (did you mean 'failOn'?)",
      '10:18: extensions[1].with.deny: must be array (got "MIT")',
      "10:68: extensions[1].with.exceptions[0].alow: unknown key 'alow' (did you mean 'allow'?)",
      '14:22: extensions[2].with.formats[0]: must be one of: cyclonedx, spdx (got "pdf")',
      "18:12: extensions[3].with.line: unknown key 'line' (this takes no settings)",
      '22:24: extensions[4].with.includeDev: must be boolean (got "yes")',
      '26:11: extensions[5].with: needs osv: (the OSV database) and/or nvd: (NVD data)',
      '26:20: extensions[5].with.failOn: must be one of: low, medium, high, critical (got "hihg")',
      '26:34: extensions[5].with.maxAge: must be an age such as 7d, 36h or 2w (got "7 days")',
      "26:51: extensions[5].with.ignore[0]: missing required key 'reason'",
    ],
  );
});

test('the files and keys settings name: missing, public, RSA, P-384, encrypted or garbage keys; missing or empty OSV db; plain http', async () => {
  const d = opsDir();
  const sbom = (i: number, key: string) => `  - {name: s${i}, uses: "builtin:sbom", at: [finalize:after], with: {signingKey: ${key}}}\n`;
  const got = await errorsOf(
    d,
    [
      sbom(0, '{file: keys/missing.key}'),
      sbom(1, '{file: keys/bpx.pub}'),
      sbom(2, '{file: keys/rsa.key}'),
      sbom(3, '{file: keys/p384.key}'),
      sbom(4, '{file: keys/enc.key}'),
      sbom(5, '{file: keys/garbage.key}'),
      sbom(6, '{http: "http://signer.corp.example/sign"}'),
      sbom(7, '{http: "https://signer.corp.example/sign", caFile: missing-ca.pem}'),
      sbom(8, ''),
      '  - {name: v0, uses: "builtin:osv", at: [finalize:after], with: {db: missing-db}}\n',
      '  - {name: v1, uses: "builtin:osv", at: [finalize:after], with: {db: empty-db, ignore: [{id: X, reason: y, until: 2026-13-45}]}}\n',
      '  - {name: h0, http: "http://gate.corp.example/hook", at: [finalize:after], with: {sned: [components]}}\n',
      '  - {name: h1, http: "https://gate.corp.example/hook", at: [finalize:after], with: {caFile: nope.pem}}\n',
    ].join(''),
  );
  assert.equal(got, [
    '3:86: extensions[0].with.signingKey.file: signing key keys/missing.key not found',
    '4:86: extensions[1].with.signingKey.file: signing key keys/bpx.pub is a public key: signingKey needs the private key (the public one is for bpx verify --key)',
    '5:86: extensions[2].with.signingKey.file: signing key keys/rsa.key is an RSA key: bpx signs with Ed25519 or ECDSA P-256 (bpx keygen makes one)',
    '6:86: extensions[3].with.signingKey.file: signing key keys/p384.key is an EC key on secp384r1: bpx signs with Ed25519 or ECDSA P-256 (bpx keygen makes one)',
    '7:86: extensions[4].with.signingKey.file: signing key keys/enc.key is passphrase-protected: bpx signs with an unencrypted PEM key',
    '8:86: extensions[5].with.signingKey.file: signing key keys/garbage.key is not a PEM private key',
    '9:86: extensions[6].with.signingKey.http: uses plain http:// to the non-loopback host signer.corp.example: use https://, or set signingKey.insecure: true',
    '10:130: extensions[7].with.signingKey.caFile: CA bundle missing-ca.pem not found',
    '11:79: extensions[8].with.signingKey: must be {file: PATH}, {env: NAME} or {http: URL, token: {env: NAME}, caFile?, insecure?, timeoutMs?} (got null)',
    '12:70: extensions[9].with.db: OSV database missing-db not found (a folder of OSV JSON/YAML files or <Ecosystem>/all.zip files)',
    '13:70: extensions[10].with.db: OSV database empty-db holds no OSV records (no .json, .yaml or .zip file): an empty database finds nothing (allowEmptyDb: true accepts that)',
    '13:115: extensions[10].with.ignore[0].until: is not a date (got "2026-13-45")',
    '14:22: extensions[11].http: uses plain http:// to the non-loopback host gate.corp.example: use https://, or mark the extension insecure: true',
    "14:84: extensions[11].with.sned: unknown key 'sned' (did you mean 'send'?)",
    '15:93: extensions[12].with.caFile: CA bundle nope.pem not found',
  ]);
});

test('good settings pass: Ed25519 and P-256 keys, env and https signers, loopback http, insecure http, a real database', async () => {
  const d = opsDir();
  assert.equal(
    await errorsOf(
      d,
      `  - {name: s0, uses: "builtin:sbom", at: [finalize:after], with: {formats: [cyclonedx], signingKey: {file: keys/bpx.key}}}
  - {name: s1, uses: "builtin:sbom", at: [compile:after], with: {signingKey: {file: keys/p256.key}}}
  - {name: s2, uses: "builtin:sbom", at: [compile:after], with: {signingKey: {env: BPX_SIGNING_KEY}}}
  - {name: s3, uses: "builtin:sbom", at: [compile:after], with: {signingKey: {http: "https://signer.example/sign", token: {env: T}, caFile: ca.pem, timeoutMs: 5000}}}
  - {name: s4, uses: "builtin:sbom", at: [compile:after], with: {signingKey: {http: "http://127.0.0.1:8080/sign"}}}
  - {name: s5, uses: "builtin:sbom", at: [compile:after], with: {signingKey: {http: "http://signer.internal/sign", insecure: true}}}
  - {name: v, uses: "builtin:osv", at: [finalize:after], with: {db: osv-db, failOn: high, maxAge: 7d, onStale: fail, includeDev: true, ignore: [{id: GHSA-1, reason: r, until: 2026-12-31}]}}
  - {name: l, uses: "builtin:license-policy", at: [finalize:after], with: {allow: [MIT], deny: [AGPL-3.0-only], unknown: deny, includeDev: false, exceptions: [{purl: "pkg:npm/x", reason: ok, allow: [GPL-2.0-only]}]}}
  - {name: c, uses: "builtin:capture", at: [finalize:after], with: {includeDev: true}}
  - {name: dv, uses: "builtin:detect-versions", at: [detect:after]}
  - {name: h, http: "http://localhost:9000/hook", at: [finalize:after], with: {send: [components], token: {env: T}, caFile: ca.pem, requestTimeout: 10s, retries: 2}}
  - {name: h2, http: "http://gate.internal/hook", insecure: true, at: [finalize:after]}
`,
    ),
    [],
  );
});

test('settings the schema accepts, the built-ins accept too (the schema is never looser than the code)', () => {
  const d = opsDir();
  const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'settings', 'osv.schema.json'), 'utf8'));
  const osvGood: Record<string, unknown> = {
    db: 'osv-db',
    failOn: 'critical',
    maxAge: '2w',
    onStale: 'warn',
    includeDev: false,
    allowEmptyDb: true,
    ignore: [{ id: 'A', reason: 'r', until: '2026-01-31' }],
  };
  // osv: is db:'s newer name (one of them), with nvd: beside it
  const { db: _db, ...rest } = osvGood;
  const osvNvd: Record<string, unknown> = { ...rest, osv: 'osv-db', nvd: ['nvd-db', 'security-wg'] };
  assert.equal(
    [...new Set([...Object.keys(osvGood), ...Object.keys(osvNvd)])].sort(),
    Object.keys(schema.properties).sort(),
    'every osv setting the schema names is tried here',
  );
  osvParse(osvGood, d);
  osvParse(osvNvd, d);
  osvParse({ nvd: 'nvd-db' }, d);
  const lic = parsePolicy(
    { allow: ['MIT'], deny: ['X'], unknown: 'warn', includeDev: true, exceptions: [{ purl: 'pkg:npm/a', reason: 'r', allow: ['Y'] }] },
    'with',
  );
  assert.equal(lic.errors, []);
});

test('checkFiles: false skips files and keys, not the schema', async () => {
  const r = await checkManifestText(
    'version: 1\nextensions:\n  - {name: s, uses: "builtin:sbom", at: finalize:after, with: {signingKey: {file: nope.key}, format: [spdx]}}\n',
    join(tempDir(), 'bpx.yml'),
    { builtinNames: names, checkFiles: false },
  );
  assert.equal(
    r.errors.map((e) => `${e.path}: ${e.message}`),
    ["extensions[0].with.format: unknown key 'format' (did you mean 'formats'?)"],
  );
});

test('bpx validate and bpx wrap both refuse bad settings with the same located lines, and wrap writes nothing', async () => {
  ensureBundle();
  const d = opsDir();
  writeFileSync(
    join(d, 'bpx.yml'),
    `version: 1
extensions:
  - {name: vulns, uses: "builtin:osv", at: [finalize:after], with: {db: osv-db, failon: low}}
  - {name: sbom, uses: "builtin:sbom", at: [finalize:after], with: {signingKey: {file: keys/bpx.pub}}}
`,
  );
  const expected = [
    "bpx.yml:3:81: extensions[0].with.failon: unknown key 'failon' (did you mean 'failOn'?)",
    'bpx.yml:4:88: extensions[1].with.signingKey.file: signing key keys/bpx.pub is a public key: signingKey needs the private key (the public one is for bpx verify --key)',
  ];
  const v = await execa(process.execPath, [bundle, 'validate', 'bpx.yml'], { cwd: d, reject: false });
  assert.is(v.exitCode, 1);
  assert.equal(v.stdout.split('\n'), expected);
  const w = await execa(process.execPath, [bundle, 'wrap', join(fixtures, 'buildpacks', 'full'), '--manifest', 'bpx.yml', '-o', 'out'], {
    cwd: d,
    reject: false,
  });
  assert.is(w.exitCode, 1, w.stderr);
  for (const line of expected) assert.ok(w.stderr.includes(line), w.stderr);
  assert.not.ok(existsSync(join(d, 'out')));
});

test.run();
