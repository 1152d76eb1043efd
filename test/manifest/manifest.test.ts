// bpx.yml loading, validation messages (file:line:col and path), merging operator and app manifests, and `bpx validate`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { execa } from 'execa';
import { loadManifest } from '../../src/manifest/load.ts';
import { mergeManifests, secretEnvNames } from '../../src/manifest/merge.ts';
import { parseDuration } from '../../src/manifest/duration.ts';
import type { Manifest } from '../../src/manifest/types.ts';
import { builtins } from '../../extensions/index.ts';
import { bundle, ensureBundle, repoRoot } from '../lifecycle/helpers.ts';

const fx = (c: string) => join(repoRoot, 'test', 'manifest', 'fixtures', c, 'bpx.yml');
const names = ['sbom', 'capture'];

async function lines(c: string, kind: 'operator' | 'app' = 'operator'): Promise<string[]> {
  const r = await loadManifest(fx(c), { builtinNames: names, kind });
  return r.errors.map((e) => `${e.line}:${e.column}: ${e.path}: ${e.message}`);
}

test('a valid manifest loads with every field', async () => {
  const r = await loadManifest(fx('valid'), { builtinNames: names });
  assert.equal(r.errors, []);
  assert.is(r.manifest?.extensions?.length, 3);
  assert.equal(r.manifest?.app, { allowExtensions: true, allowedAt: ['supply:before', 'finalize:after'] });
});

test('typos and bad values: unknown keys (with a suggestion), enums, patterns, types, each located', async () => {
  assert.equal(await lines('typos'), [
    "6:5: extensions[0].onFailur: unknown key 'onFailur' (did you mean 'onFailure'?)",
    '7:14: extensions[0].timeout: must be a duration such as 30s, 2m, 1h or 1m30s (got "2x")',
    '8:11: extensions[1].name: must match [a-z0-9-]+ (got "Bad_Name")',
    '9:10: extensions[1].at[0]: must be one of: detect:before, detect:after, supply:before, supply:after, finalize:before, finalize:after, compile:before, compile:after, release:before, release:after (got "supply:sometimes")',
    '11:16: extensions[1].onFailure: must be one of: warn, fail (got "maybe")',
    '13:20: app.allowExtensions: must be boolean (got "yes")',
    "15:3: app.alowedAt: unknown key 'alowedAt' (did you mean 'allowedAt'?)",
    "16:1: extension: unknown key 'extension' (did you mean 'extensions'?)",
  ]);
});

test('run/uses/http: exactly one; unknown built-in; missing or non-executable script; insecure without http', async () => {
  const got = await lines('kinds');
  assert.equal(got, [
    '3:5: extensions[0]: needs exactly one of run, uses, http (found uses and http)',
    "5:11: extensions[0].uses: unknown built-in 'nope' (known: capture, sbom)",
    '7:5: extensions[1]: needs exactly one of run, uses, http',
    `11:10: extensions[2].run: run script hooks/missing.sh not found (relative to ${join(repoRoot, 'test', 'manifest', 'fixtures', 'kinds')})`,
    '14:10: extensions[3].run: run script notexec.sh is not executable (chmod +x it, or use run: [sh, notexec.sh])',
    '18:5: extensions[4].insecure: insecure applies to http extensions only',
    '21:10: extensions[5].run: must be a script path (string) or a [command, arg, ...] list of strings',
  ]);
});

test('duplicate names, YAML syntax errors, version and the app section of an app manifest', async () => {
  assert.equal(await lines('duplicates'), ["5:12: extensions[2].name: duplicate extension name 'a' (first at extensions[0])"]);
  const y = await lines('yaml-syntax');
  assert.is(y[0], '4:5: (root): YAML: Map keys must be unique');
  assert.is(y.length, 2);
  assert.equal(await lines('app-section', 'app'), [
    '1:10: version: must be 1',
    "4:1: app: only the operator's manifest may set app: (an app cannot grant itself permissions)",
  ]);
  const missing = await loadManifest('/nonexistent/bpx.yml');
  assert.equal(
    missing.errors.map((e) => e.message),
    ['file not found'],
  );
});

test('durations', () => {
  assert.is(parseDuration('30s'), 30_000);
  assert.is(parseDuration('2m'), 120_000);
  assert.is(parseDuration('1h'), 3_600_000);
  assert.is(parseDuration('1m30s'), 90_000);
  assert.is(parseDuration('250ms'), 250);
  assert.is(parseDuration('2x'), undefined);
  assert.is(parseDuration(''), undefined);
});

const op: Manifest = {
  version: 1,
  extensions: [
    {
      name: 'gate',
      at: ['supply:before'],
      run: 'gate.sh',
      onFailure: 'fail',
      with: { signingKey: { env: 'SIGNING_KEY' }, token: { env: 'TOKEN' } },
    },
    { name: 'sbom', at: ['finalize:after'], uses: 'builtin:sbom', timeout: '2m' },
  ],
  app: { allowExtensions: true, allowedAt: ['supply:before'] },
};

test('merge: operator first, app appended; same name and disallowed points refused; nothing of the operator changes', () => {
  const app: Manifest = {
    version: 1,
    extensions: [
      { name: 'gate', at: ['supply:before'], run: 'noop.sh', onFailure: 'warn' },
      { name: 'mine', at: ['supply:before', 'finalize:after'], run: 'mine.sh' },
    ],
  };
  const frozen = JSON.stringify(op);
  const m = mergeManifests({ manifest: op, dir: '/ops' }, { manifest: app, dir: '/app' });
  const sb = m.byPoint.get('supply:before')!;
  assert.equal(
    sb.map((e) => [e.spec.name, e.operator, e.manifestDir, e.onFailure]),
    [
      ['gate', true, '/ops', 'fail'],
      ['mine', false, '/app', 'warn'],
    ],
  );
  assert.equal(
    m.byPoint.get('finalize:after')!.map((e) => [e.spec.name, e.timeoutMs]),
    [['sbom', 120_000]],
  );
  assert.is(m.refused.length, 2);
  assert.match(m.refused[0], "app extension 'gate' refused");
  assert.match(m.refused[1], "app extension 'mine' refused at finalize:after");
  assert.is(JSON.stringify(op), frozen, 'inputs are not mutated');
  const closed = mergeManifests({ manifest: { ...op, app: { allowExtensions: false } }, dir: '/ops' }, { manifest: app, dir: '/app' });
  assert.equal(
    closed.byPoint.get('supply:before')!.map((e) => e.spec.name),
    ['gate'],
  );
  assert.equal(secretEnvNames(op), ['SIGNING_KEY', 'TOKEN']);
});

test("merge: app extensions run before the operator's signing step at a point; an app builtin:sbom is refused", () => {
  const operator: Manifest = {
    version: 1,
    extensions: [
      { name: 'capture', at: ['finalize:after'], uses: 'builtin:capture' },
      { name: 'sbom', at: ['finalize:after', 'compile:after'], uses: 'builtin:sbom' },
      { name: 'notify', at: ['finalize:after'], http: 'https://n.example/hook' },
      { name: 'lint', at: ['supply:before'], run: 'lint.sh' },
    ],
    app: { allowExtensions: true, allowedAt: ['supply:before', 'finalize:after', 'compile:after'] },
  };
  const app: Manifest = {
    version: 1,
    extensions: [
      { name: 'writer', at: ['finalize:after', 'compile:after', 'supply:before'], run: 'w.sh' },
      { name: 'my-sbom', at: ['finalize:after'], uses: 'builtin:sbom', with: { signingKey: { env: 'APP_KEY' } } },
      { name: 'second', at: ['finalize:after'], run: 's.sh' },
    ],
  };
  const m = mergeManifests({ manifest: operator, dir: '/ops' }, { manifest: app, dir: '/app' });
  const order = (p: string) => m.byPoint.get(p as 'finalize:after')!.map((e) => `${e.operator ? 'op' : 'app'}:${e.spec.name}`);
  assert.equal(order('finalize:after'), ['op:capture', 'app:writer', 'app:second', 'op:sbom', 'op:notify']);
  assert.equal(order('compile:after'), ['app:writer', 'op:sbom']);
  assert.equal(order('supply:before'), ['op:lint', 'app:writer'], 'no signing step: the app comes after the operator');
  assert.equal(m.refused, [
    "app extension 'my-sbom' refused: builtin:sbom writes and signs the droplet's SBOM where the operator's outputs live; only the operator's manifest may use it (an app may add extensions, never replace the operator's outputs)",
  ]);
});

test('at: a scalar point is short for a one-point list; errors about it point at the scalar', async () => {
  const { checkManifestText } = await import('../../src/manifest/load.ts');
  const ok = await checkManifestText('version: 1\nextensions:\n  - {name: a, at: finalize:after, uses: "builtin:capture"}\n', 'm.yml', {
    builtinNames: names,
  });
  assert.equal(ok.errors, []);
  assert.equal(ok.manifest?.extensions?.[0].at, ['finalize:after']);
  const bad = await checkManifestText('version: 1\nextensions:\n  - name: a\n    at: finalize:aftr\n    uses: builtin:capture\n', 'm.yml', {
    builtinNames: names,
  });
  assert.equal(
    bad.errors.map((e) => `${e.line}:${e.column}: ${e.path}`),
    ['4:9: extensions[0].at'],
  );
});

test('validate warns when something can change the droplet after the operator signs it', async () => {
  const { checkManifestText } = await import('../../src/manifest/load.ts');
  const r = await checkManifestText(
    `version: 1
extensions:
  - {name: sbom, at: [finalize:after], uses: "builtin:sbom"}
  - {name: late, at: [finalize:after], run: [sh, -c, "true"]}
app: {allowExtensions: true, allowedAt: [finalize:after, release:before]}
`,
    'm.yml',
    { builtinNames: names },
  );
  assert.ok(r.manifest, 'warnings only');
  assert.equal(
    r.errors.map((e) => `${e.line}:${e.column}: ${e.path}: ${e.severity}: ${e.message}`),
    [
      "4:12: extensions[1].name: warning: runs at finalize:after after the signing step 'sbom': a file it writes there makes bpx verify fail (list it before 'sbom')",
      '5:58: app.allowedAt[1]: warning: app extensions at release:before run after the SBOM is signed at finalize:after: a file they write there makes bpx verify fail',
    ],
  );
  const app = await checkManifestText('version: 1\nextensions:\n  - {name: s, at: [finalize:after], uses: "builtin:sbom"}\n', 'm.yml', {
    builtinNames: names,
    kind: 'app',
  });
  assert.equal(
    app.errors.map((e) => `${e.path}: ${e.severity}`),
    ['extensions[0].uses: warning'],
  );
});

test('bpx validate prints FILE:LINE:COL: PATH: message, exits 1 on errors, 0 when valid, 2 on usage; --json', async () => {
  ensureBundle();
  const run = (args: string[]) => execa(process.execPath, [bundle, 'validate', ...args], { cwd: repoRoot, reject: false });
  let r = await run(['test/manifest/fixtures/duplicates/bpx.yml', 'test/manifest/fixtures/valid/bpx.yml']);
  assert.is(r.exitCode, 1);
  assert.is(
    r.stdout,
    "test/manifest/fixtures/duplicates/bpx.yml:5:12: extensions[2].name: duplicate extension name 'a' (first at extensions[0])",
  );
  r = await run(['test/manifest/fixtures/valid/bpx.yml']);
  assert.is(r.exitCode, 0);
  r = await run([]);
  assert.is(r.exitCode, 2);
  r = await run(['--json', 'test/manifest/fixtures/typos/bpx.yml']);
  assert.is(r.exitCode, 1);
  const j = JSON.parse(r.stdout);
  assert.is(j.files[0].valid, false);
  assert.equal(j.files[0].errors[0], {
    file: 'test/manifest/fixtures/typos/bpx.yml',
    line: 6,
    column: 5,
    path: 'extensions[0].onFailur',
    message: "unknown key 'onFailur' (did you mean 'onFailure'?)",
    severity: 'error',
  });
  r = await run(['--app', 'test/manifest/fixtures/app-section/bpx.yml']);
  assert.match(r.stdout, "app-section/bpx.yml:4:1: app: only the operator's manifest may set app:");
  r = await execa(process.execPath, [bundle, 'validate', '--help'], { reject: false });
  assert.is(r.exitCode, 0);
  assert.match(r.stdout, 'Usage: bpx validate');
});

test('every registered built-in name is accepted', async () => {
  for (const n of Object.keys(builtins)) {
    const { checkManifestText } = await import('../../src/manifest/load.ts');
    const r = await checkManifestText(`version: 1\nextensions:\n  - {name: x, at: [finalize:after], uses: "builtin:${n}"}\n`, 'm.yml', {
      builtinNames: Object.keys(builtins),
      settings: false,
    });
    assert.equal(r.errors, [], n);
  }
});

test.run();
