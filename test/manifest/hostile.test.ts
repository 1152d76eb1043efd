// Hostile and malformed manifests: every one ends in located FILE:LINE:COL: PATH:
// messages and the documented exit code (validate 1, wrap 1), never a stack trace, never the file's content, and
// nothing left in TMPDIR or the output folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa, execaSync } from 'execa';
import { checkManifestText, loadManifest } from '../../src/manifest/load.ts';
import { builtins } from '../../extensions/index.ts';
import { bundle, ensureBundle, fixtures, tempDir } from '../lifecycle/helpers.ts';

const SECRET = 'S3CRET-CONTENT-XYZ';

function bomb(levels: number): string {
  let s = 'version: 1\na: &a ["x","x","x","x","x","x","x","x","x"]\n';
  let prev = 'a';
  for (let i = 0; i < levels; i++) {
    const n = `l${i}`;
    s += `${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]\n`;
    prev = n;
  }
  return s;
}

/** name → file content (string or bytes), expected first message (a substring or pattern). */
const CASES: Array<[string, string | Buffer, string | RegExp]> = [
  ['alias bomb', bomb(9), 'YAML: aliases expand to too many nodes'],
  ['alias cycle', 'version: 1\nextensions: &a\n  - *a\n', 'YAML: alias *a is inside its own anchor (a cycle)'],
  [
    'self anchor',
    'version: 1\nextensions:\n  - &x {name: a, at: [finalize:after], run: *x}\n',
    'YAML: alias *x is inside its own anchor (a cycle)',
  ],
  ['dangling alias', 'version: 1\nextensions: *nowhere\n', 'YAML: alias *nowhere has no anchor before it'],
  ['merge of nothing', '<<: *nope\nversion: 1\n', 'YAML: alias *nope has no anchor before it'],
  ['binary', Buffer.concat([Buffer.from(`# ${SECRET}\n`), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2])]), 'not a text file'],
  ['invalid utf-8', Buffer.concat([Buffer.from(`version: 1 # ${SECRET}\n# `), Buffer.from([0xc3, 0x28, 0xa0, 0xa1])]), 'not a text file'],
  ['huge', `version: 1\n# ${SECRET}\n${'#'.repeat(1100 * 1024)}\n`, /a manifest may have at most 1048576/],
  ['deep nesting', `version: 1\nx: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, /YAML: |unknown key 'x'/],
  ['two documents', 'version: 1\n---\nversion: 1\n', 'more than one YAML document'],
  ['syntax', `version: 1\nextensions: [\n  ${SECRET}: {\n`, 'YAML: '],
  ['tab indent', 'version: 1\nextensions:\n\t- name: a\n', 'YAML: '],
  ['unknown tag', 'version: 1\nextensions: !!binary AAAA\n', 'YAML: Unresolved tag'],
  ['js tag', `version: !!js/function "${SECRET}"\n`, 'YAML: Unresolved tag'],
  ['duplicate keys', 'version: 1\nversion: 1\n', 'YAML: Map keys must be unique'],
  ['empty', '', 'the manifest is empty'],
  ['comments only', '# nothing\n', 'the manifest is empty'],
  ['scalar root', `${SECRET}\n`, /must be object \(got "S3CRET/],
  ['list root', '- version: 1\n', 'must be object'],
  ['version string', 'version: "1"\n', 'version: must be 1'],
  ['no version', 'extensions: []\n', "missing required key 'version'"],
  ['extensions a map', 'version: 1\nextensions: {a: 1}\n', 'extensions: must be array'],
  ['null extension', 'version: 1\nextensions: [~]\n', 'extensions[0]: must be object'],
  [
    'at a number',
    'version: 1\nextensions:\n  - {name: a, at: 5, run: x.sh}\n',
    'extensions[0].at: must be a point such as finalize:after, or a list of points (got 5)',
  ],
  ['at empty', 'version: 1\nextensions:\n  - {name: a, at: [], uses: "builtin:capture"}\n', 'extensions[0].at: must not be empty'],
  [
    'at a typo',
    'version: 1\nextensions:\n  - {name: a, at: finalize:aftr, uses: "builtin:capture"}\n',
    'extensions[0].at: must be one of:',
  ],
  [
    'with a list',
    'version: 1\nextensions:\n  - {name: a, at: [finalize:after], uses: "builtin:capture", with: [1]}\n',
    'extensions[0].with: must be object',
  ],
  ['long key', `version: 1\n"${'k'.repeat(900)}${SECRET}": 1\n`, /unknown key 'k{37}\.\.\.'/],
  ['too long key', `version: 1\n${'k'.repeat(5000)}${SECRET}: 1\n`, 'YAML: '],
  ['control chars in key', 'version: 1\n"a\\u001b[2Jb\\nc": 1\n', /unknown key 'a\\x1b\[2Jb\\nc'/],
  [
    'long value',
    `version: 1\nextensions:\n  - {name: a, at: [finalize:after], uses: "builtin:${SECRET}${'z'.repeat(4000)}"}\n`,
    /must be builtin:<name> \(got "builtin:S3CRET-CONTENT-XYZz+\.\.\.\)/,
  ],
  [
    'settings typo',
    'version: 1\nextensions:\n  - {name: a, at: [finalize:after], uses: "builtin:osv", with: {db: nope, failon: low}}\n',
    'extensions[0].with.db: OSV database nope not found',
  ],
];

const isLocated = (line: string) => /^[^\n]+:\d+:\d+: \S[^\n]*: \S/.test(line);
const noStack = (s: string) => !/\n\s+at /.test(s) && !/internal error/i.test(s) && !/(TypeError|ReferenceError|RangeError)/.test(s);

test('the loader never throws: each hostile input is a located error and no manifest', async () => {
  const dir = tempDir('bpx-hostile-');
  for (const [name, content, expected] of CASES) {
    const file = join(dir, 'bpx.yml');
    writeFileSync(file, content);
    for (const kind of ['operator', 'app'] as const) {
      const r = await loadManifest(file, { builtinNames: Object.keys(builtins), kind });
      assert.is(r.manifest, undefined, name);
      assert.ok(r.errors.length > 0, name);
      const first = r.errors.find((e) => e.severity === 'error')!;
      const msg = `${first.path}: ${first.message}`;
      if (typeof expected === 'string') assert.ok(msg.includes(expected), `${name}: ${msg}`);
      else assert.match(msg, expected, name);
      for (const e of r.errors) {
        assert.ok(e.line >= 1 && e.column >= 1, `${name}: located`);
        assert.ok(e.message.length <= 500 && !/[\u0000-\u001f]/.test(e.message + e.path), `${name}: one bounded line`);
      }
      if (name !== 'scalar root' && name !== 'long value')
        assert.not.ok(JSON.stringify(r.errors).includes(SECRET), `${name}: content not echoed`);
    }
  }
  // a folder, a missing file
  mkdirSync(join(dir, 'folder.yml'));
  assert.equal(
    (await loadManifest(join(dir, 'folder.yml'))).errors.map((e) => `${e.line}:${e.column}: ${e.message}`),
    ['1:1: is a folder, not a manifest file'],
  );
  assert.equal(
    (await loadManifest(join(dir, 'missing.yml'))).errors.map((e) => e.message),
    ['file not found'],
  );
});

test('a BOM, CRLF line ends and anchors within bounds are fine', async () => {
  const ok = async (text: string) =>
    (await checkManifestText(text, join(tempDir(), 'bpx.yml'), { builtinNames: Object.keys(builtins) })).errors;
  assert.equal(await ok('\ufeffversion: 1\r\nextensions:\r\n  - {name: a, at: finalize:after, uses: "builtin:capture"}\r\n'), []);
  assert.equal(
    await ok(`version: 1
extensions:
  - {name: a, at: [finalize:after], uses: "builtin:capture", with: &w {includeDev: true}}
  - {name: b, at: [compile:after], uses: "builtin:capture", with: *w}
`),
    [],
  );
});

test('bpx validate and bpx wrap on every hostile manifest: located lines, exit 1, no stack trace, nothing left behind', async () => {
  ensureBundle();
  const root = tempDir('bpx-hostile-cli-');
  const tmp = join(root, 'tmp');
  mkdirSync(tmp);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmp, HOME: root };
  const all: Array<[string, string | Buffer, unknown]> = [...CASES, ['folder', '', undefined], ['fifo', '', undefined]];
  const files = all.map(([name, content], i) => {
    const dir = join(root, `case-${i}`);
    mkdirSync(dir);
    const file = join(dir, 'bpx.yml');
    if (name === 'folder') mkdirSync(file);
    else if (name === 'fifo') execaSync('mkfifo', [file]);
    else writeFileSync(file, content);
    return `case-${i}/bpx.yml`;
  });
  const bpx = (args: string[], cwd = root) =>
    execa(process.execPath, [bundle, ...args], { cwd, env, extendEnv: false, reject: false, timeout: 60_000 });
  // validate: one run over all files, then every file has its located lines
  const v = await bpx(['validate', ...files]);
  assert.is(v.exitCode, 1, v.stderr);
  assert.ok(noStack(v.stdout + v.stderr), v.stderr);
  const lines = v.stdout.split('\n').filter(Boolean);
  assert.ok(lines.every(isLocated), v.stdout);
  for (const [i, [name]] of all.entries()) {
    assert.ok(
      lines.some((l) => l.startsWith(`${files[i]}:`)),
      `${name}: no located line`,
    );
    if (name !== 'scalar root' && name !== 'long value')
      assert.not.ok(
        lines
          .filter((l) => l.startsWith(`${files[i]}:`))
          .join('\n')
          .includes(SECRET),
        `${name}: content echoed`,
      );
  }
  const j = await bpx(['validate', '--json', '--app', ...files]);
  assert.is(j.exitCode, 1);
  assert.equal(
    JSON.parse(j.stdout).files.map((f: { valid: boolean }) => f.valid),
    files.map(() => false),
  );
  // wrap: each refused with located lines, no output folder
  for (const [i, [name]] of all.entries()) {
    const dir = join(root, `case-${i}`);
    const w = await bpx(['wrap', join(fixtures, 'buildpacks', 'full'), '--manifest', 'bpx.yml', '-o', 'out'], dir);
    assert.is(w.exitCode, 1, `${name}: wrap exit code\n${w.stderr}`);
    assert.ok(
      w.stderr.split('\n').some((l) => /^bpx\.yml:\d+:\d+: /.test(l)),
      `${name}: ${w.stderr}`,
    );
    assert.ok(noStack(w.stdout + w.stderr), `${name}: ${w.stderr}`);
    if (name !== 'scalar root' && name !== 'long value') assert.not.ok(w.stderr.includes(SECRET), `${name}: content echoed`);
    assert.not.ok(existsSync(join(dir, 'out')), `${name}: wrap left an output`);
  }
  assert.equal(readdirSync(tmp), [], 'nothing left in TMPDIR');
});

test.run();
