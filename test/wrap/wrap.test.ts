// bpx wrap through the bundled CLI: layout, exact bin/ set, zips in and out, hostile zips, referenced files, the no-Node fast path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { spawn } from 'node:child_process';
import {
  bundle,
  builderArgv,
  builderEnv,
  ensureBundle,
  fixtures,
  nodeLauncher,
  runScript,
  stagingDirs,
  tempDir,
  type Staging,
} from '../lifecycle/helpers.ts';
import { extractZip } from '../../src/platform/zip-extract.ts';
import { renderShim } from '../../src/wrap/shim.ts';
import { statePath } from '../../src/lifecycle/state.ts';
import { writeZip } from './make-zip.ts';
import { repoRoot } from '../lifecycle/helpers.ts';

ensureBundle();
const bp = (n: string) => join(fixtures, 'buildpacks', n);

function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = lstatSync(p);
      out.push(`${(st.mode & 0o777).toString(8)} ${relative(dir, p)}${st.isFile() ? ` ${readFileSync(p, 'utf8').length}` : ''}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

async function wrap(inner: string, manifest: string, out: string, extra: string[] = []) {
  const root = tempDir();
  const m = join(root, 'bpx.yml');
  writeFileSync(m, manifest);
  return execa(process.execPath, [bundle, 'wrap', inner, '--manifest', m, '-o', out, '--node', nodeLauncher(root), ...extra], {
    reject: false,
  });
}

const EMPTY = 'version: 1\nextensions: []\n';

/** Wraps the `full` fixture with manifest `m` into root/w, with a Node that counts its starts in root/node-starts. */
async function wrapCountingNode(root: string, m: string) {
  const out = join(root, 'w');
  const r = await execa(process.execPath, [bundle, 'wrap', bp('full'), '--manifest', m, '-o', out, '--node', nodeLauncher(root)], {
    reject: false,
  });
  assert.is(r.exitCode, 0, r.stderr);
  const nodeMark = join(root, 'node-starts');
  const starts = () => (existsSync(nodeMark) ? readFileSync(nodeMark, 'utf8').split('\n').filter(Boolean).length : 0);
  return { out, nodeMark, starts };
}

test('shims for exactly the inner bin/ scripts; inner untouched; VERSION and manifest.yml passed through', async () => {
  for (const [name, expected] of [
    ['full', ['detect', 'finalize', 'release', 'supply']],
    ['compile-only', ['compile', 'detect', 'release']],
    ['supply-only', ['supply']],
  ] as const) {
    const out = join(tempDir(), 'w');
    const r = await wrap(bp(name), EMPTY, out);
    assert.is(r.exitCode, 0, r.stderr);
    assert.equal(readdirSync(join(out, 'bin')).sort(), [...expected], name);
    for (const p of expected) assert.is(statSync(join(out, 'bin', p)).mode & 0o777, 0o755);
    assert.equal(tree(join(out, 'inner')), tree(bp(name)), `${name}: inner identical, modes kept`);
  }
  const out = join(tempDir(), 'w');
  await wrap(bp('full'), EMPTY, out);
  assert.is(readFileSync(join(out, 'VERSION'), 'utf8'), '1.2.3\n');
  assert.is(readFileSync(join(out, 'manifest.yml'), 'utf8'), readFileSync(join(bp('full'), 'manifest.yml'), 'utf8'));
  assert.ok(existsSync(join(out, 'runtime', 'bpx.cjs')));
  assert.is(statSync(join(out, 'runtime', 'node')).mode & 0o111, 0o111);
  // the CLI ships with the chunks its entry reaches (dist/cli may also hold an earlier build's for a while)
  const shipped = readdirSync(join(out, 'runtime', 'cli'));
  assert.ok(shipped.length > 5 && shipped.every((f) => existsSync(join(repoRoot, 'dist', 'cli', f))), shipped.join(' '));
  const cli = await execa(join(out, 'runtime', 'node'), [join(out, 'runtime', 'bpx.cjs'), 'validate', '--help'], { reject: false });
  assert.is(cli.exitCode, 0, cli.stderr);
  assert.match(cli.stdout, /^Usage: bpx validate/);
  assert.is(readFileSync(join(out, 'bpx', 'bpx.yml'), 'utf8'), EMPTY);
});

test('the shipped shims in buildpack-wrapper/bin are the template with Node always on', () => {
  for (const p of ['detect', 'supply', 'finalize', 'compile', 'release'] as const) {
    assert.is(readFileSync(join(repoRoot, 'buildpack-wrapper', 'bin', p), 'utf8'), renderShim(p, true, true), p);
  }
});

test('wrapped with no extensions behaves like the inner buildpack; the default Node binary is copied and runs', async () => {
  const root = tempDir();
  const out = join(root, 'w');
  const m = join(root, 'bpx.yml');
  writeFileSync(m, 'version: 1\nextensions:\n  - {name: probe, at: [detect:after], run: [sh, -c, "echo probed >&2"]}\n');
  const r = await execa(process.execPath, [bundle, 'wrap', bp('full'), '--manifest', m, '-o', out], { reject: false });
  assert.is(r.exitCode, 0, r.stderr);
  assert.is(statSync(join(out, 'runtime', 'node')).size, statSync(process.execPath).size);
  const s = stagingDirs(root);
  const d = await runScript(join(out, 'bin', 'detect'), [s.app], builderEnv());
  assert.is(d.exitCode, 0, d.stderr);
  assert.is(d.stdout.toString(), 'full-bp 1.2.3');
  assert.match(d.stderr, '[probe] probed');
});

test('a zip with one top folder is unwrapped one level; zip output keeps modes and runs', async () => {
  const root = tempDir();
  const zip = join(root, 'inner.zip');
  const sup = readFileSync(join(bp('supply-only'), 'bin', 'supply'), 'utf8');
  writeZip(zip, [
    { name: 'supply-only-v1/' },
    { name: 'supply-only-v1/bin/' },
    { name: 'supply-only-v1/bin/supply', data: sup, mode: 0o100755 },
    { name: 'supply-only-v1/VERSION', data: '7.1.0\n' },
  ]);
  const outZip = join(root, 'wrapped.zip');
  const r = await wrap(zip, EMPTY, outZip);
  assert.is(r.exitCode, 0, r.stderr);
  const ex = join(root, 'ex');
  mkdirSync(ex);
  await extractZip(outZip, ex);
  assert.equal(readdirSync(join(ex, 'bin')), ['supply']);
  assert.is(statSync(join(ex, 'bin', 'supply')).mode & 0o777, 0o755);
  assert.is(statSync(join(ex, 'inner', 'bin', 'supply')).mode & 0o777, 0o755);
  assert.is(statSync(join(ex, 'runtime', 'node')).mode & 0o777, 0o755);
  assert.is(readFileSync(join(ex, 'VERSION'), 'utf8'), '7.1.0\n');
  const s = stagingDirs(root);
  const run = await runScript(join(ex, 'bin', 'supply'), builderArgv('supply', s), builderEnv());
  assert.is(run.exitCode, 0, run.stderr);
  assert.is(run.stdout.toString(), '-----> Installing agent 7.1.0\n');
});

test('hostile zips (../, absolute path, symlink out) are refused and nothing is written', async () => {
  const cases: Array<[string, Parameters<typeof writeZip>[1], string]> = [
    [
      'dotdot',
      [
        { name: 'bin/supply', data: 'x', mode: 0o100755 },
        { name: 'bin/../../evil', data: 'pwned' },
      ],
      "entry 'bin/../../evil' escapes the target directory",
    ],
    [
      'absolute',
      [
        { name: 'bin/supply', data: 'x', mode: 0o100755 },
        { name: '/tmp/bpx-evil-abs', data: 'pwned' },
      ],
      "entry '/tmp/bpx-evil-abs' has an absolute path",
    ],
    [
      'symlink',
      [
        { name: 'bin/supply', data: 'x', mode: 0o100755 },
        { name: 'bin/link', data: '../../../etc', mode: 0o120777 },
      ],
      "entry 'bin/link' is a symbolic link pointing outside the buildpack (../../../etc)",
    ],
    [
      'abs-symlink',
      [
        { name: 'bin/supply', data: 'x', mode: 0o100755 },
        { name: 'bin/link', data: '/etc/passwd', mode: 0o120777 },
      ],
      'is a symbolic link pointing outside the buildpack (/etc/passwd)',
    ],
  ];
  for (const [name, entries, message] of cases) {
    const root = tempDir();
    const zip = join(root, `${name}.zip`);
    writeZip(zip, entries);
    const out = join(root, 'out', 'w.zip');
    mkdirSync(join(root, 'out'));
    const r = await wrap(zip, EMPTY, out);
    assert.is(r.exitCode, 1, name);
    assert.match(r.stderr, message, name);
    assert.equal(readdirSync(join(root, 'out')), [], `${name}: no output`);
    assert.not.ok(existsSync(join(root, 'evil')));
  }
  assert.not.ok(existsSync('/tmp/bpx-evil-abs'));
});

test('the manifest and the files it references are shipped with their layout; bad inputs are clear errors', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'ops', 'hooks'), { recursive: true });
  mkdirSync(join(root, 'ops', 'data', 'osv'), { recursive: true });
  writeFileSync(join(root, 'ops', 'hooks', 'a.sh'), '#!/bin/sh\n');
  chmodSync(join(root, 'ops', 'hooks', 'a.sh'), 0o755);
  writeFileSync(join(root, 'ops', 'hooks', 'b.py'), 'print(1)\n');
  writeFileSync(join(root, 'ops', 'data', 'osv', 'x.json'), '{}');
  writeFileSync(join(root, 'ops', 'unreferenced.txt'), 'no');
  writeFileSync(
    join(root, 'ops', 'bpx.yml'),
    `version: 1
extensions:
  - {name: a, at: [supply:before], run: hooks/a.sh}
  - {name: b, at: [supply:before], run: [python3, hooks/b.py]}
  - {name: c, at: [finalize:after], run: [sh, -c, "true"], with: {db: data/osv, url: "https://x.example/y"}}
`,
  );
  const out = join(root, 'w');
  const r = await execa(
    process.execPath,
    [bundle, 'wrap', bp('full'), '--manifest', join(root, 'ops', 'bpx.yml'), '-o', out, '--node', nodeLauncher(root)],
    { reject: false },
  );
  assert.is(r.exitCode, 0, r.stderr);
  // the validated manifest is stored with the exact bpx.yml text it was made from (a hand edit invalidates it)
  assert.is(JSON.parse(readFileSync(join(out, 'bpx', 'bpx.json'), 'utf8')).source, readFileSync(join(root, 'ops', 'bpx.yml'), 'utf8'));
  assert.equal(
    tree(join(out, 'bpx')).filter((l) => !l.includes(' bpx.json ') && !l.includes(' buildpack.json ')),
    [
      '755 data',
      '755 data/osv',
      '644 data/osv/x.json 2',
      `644 bpx.yml ${readFileSync(join(root, 'ops', 'bpx.yml'), 'utf8').length}`,
      '755 hooks',
      '755 hooks/a.sh 10',
      '644 hooks/b.py 9',
    ].sort((a, b) => a.split(' ')[1].localeCompare(b.split(' ')[1])),
  );

  const bad = await wrap(
    bp('full'),
    'version: 1\nextensions:\n  - {name: a, at: [supply:before], run: [sh], onFailure: never}\n',
    join(root, 'w2'),
  );
  assert.is(bad.exitCode, 1);
  assert.match(bad.stderr, /bpx.yml:3:58: extensions\[0\]\.onFailure: must be one of: warn, fail/);
  assert.not.ok(existsSync(join(root, 'w2')));
  const notBp = await wrap(join(fixtures, 'hooks'), EMPTY, join(root, 'w3'));
  assert.is(notBp.exitCode, 1);
  assert.match(notBp.stderr, 'not a buildpack');
  const exists = await wrap(bp('full'), EMPTY, out);
  assert.is(exists.exitCode, 1);
  assert.match(exists.stderr, 'already exists (use --force');
  assert.is((await wrap(bp('full'), EMPTY, out, ['--force'])).exitCode, 0);
  const usage = await execa(process.execPath, [bundle, 'wrap', bp('full')], { reject: false });
  assert.is(usage.exitCode, 2);
});

test('fast path: a phase with no extension (and no app bpx.yml allowed there) never starts Node', async () => {
  const root = tempDir();
  const m = join(root, 'bpx.yml');
  writeFileSync(
    m,
    `version: 1
extensions:
  - {name: only-detect, at: [detect:before], run: [sh, -c, "true"]}
app: {allowExtensions: true, allowedAt: [finalize:before]}
`,
  );
  const { out, nodeMark, starts } = await wrapCountingNode(root, m);
  const s = stagingDirs(root);
  const env = builderEnv({ BPX_TEST_NODE_STARTS: nodeMark });
  for (const p of ['supply', 'release']) {
    assert.is((await runScript(join(out, 'bin', p), builderArgv(p, s), env)).exitCode, 0);
  }
  assert.is(starts(), 0, 'supply and release exec the inner script');
  assert.is((await runScript(join(out, 'bin', 'finalize'), builderArgv('finalize', s), env)).exitCode, 0);
  assert.is(starts(), 0, 'finalize: apps may add extensions there, but this app has no bpx.yml');
  assert.is((await runScript(join(out, 'bin', 'detect'), builderArgv('detect', s), env)).exitCode, 0);
  assert.is(starts(), 1, 'detect has an operator extension');
  writeFileSync(
    join(s.app, 'bpx.yml'),
    'version: 1\nextensions:\n  - {name: mine, at: [finalize:before], run: [sh, -c, "echo app-hook"]}\n',
  );
  const f = await runScript(join(out, 'bin', 'finalize'), builderArgv('finalize', s), env);
  assert.is(starts(), 2, 'finalize with an app bpx.yml at an allowed point');
  assert.match(f.stdout.toString(), '[mine] app-hook');
  // an extension after detect: supply keeps its `-----> Installing` lines for it, still without Node
  writeFileSync(m, 'version: 1\nextensions:\n  - {name: late, at: [release:after], run: [sh, -c, "true"]}\n');
  const out2 = join(root, 'w2');
  assert.is(
    (
      await execa(process.execPath, [bundle, 'wrap', bp('full'), '--manifest', m, '-o', out2, '--node', nodeLauncher(root)], {
        reject: false,
      })
    ).exitCode,
    0,
  );
  const sup = await runScript(join(out2, 'bin', 'supply'), builderArgv('supply', s), env);
  assert.is(sup.exitCode, 0);
  assert.match(sup.stdout.toString(), '-----> Installing tool 4.5.6');
  assert.is(starts(), 2, 'supply keeps the install lines for the release extension without Node');
  assert.is(readFileSync(join(dirname(statePath(env.TMPDIR, s.app)), 'supply-0.out'), 'utf8'), sup.stdout.toString());
  assert.is((await runScript(join(out2, 'bin', 'detect'), builderArgv('detect', s), env)).exitCode, 0);
  assert.is(starts(), 2, 'detect still skips Node');
  assert.is((await runScript(join(out2, 'bin', 'release'), builderArgv('release', s), env)).exitCode, 0);
  assert.is(starts(), 3, 'release has the extension');
});

test('fast path: the inner script never sees BPX_* variables, the operator secret or a wrapper BUILDPACK_DIR, as on the Node path', async () => {
  const root = tempDir();
  const m = join(root, 'bpx.yml');
  // the secret is named at detect only: supply and release take the no-Node path (exec, and recording for supply)
  for (const [manifest, why] of [
    [
      'version: 1\nextensions:\n  - {name: signer, at: [detect:after], run: [sh, -c, "true"], with: {key: {env: OPS_SIGNING_KEY}}}\n',
      'exec',
    ],
    [
      'version: 1\nextensions:\n  - {name: signer, at: [release:after], run: [sh, -c, "true"], with: {key: {env: OPS_SIGNING_KEY}}}\n',
      'recording',
    ],
  ] as const) {
    writeFileSync(m, manifest);
    const out = join(root, `w-${why}`);
    const r = await execa(process.execPath, [bundle, 'wrap', bp('full'), '--manifest', m, '-o', out, '--node', nodeLauncher(root)], {
      reject: false,
    });
    assert.is(r.exitCode, 0, r.stderr);
    const s = stagingDirs(tempDir());
    const env = builderEnv({
      OPS_SIGNING_KEY: 'TOPSECRET',
      // a value over lines, with glob characters: the shim lists variables by words of the shell's own list
      BPX_PHASE: 'planted *\nexport OPS_X=1 ?',
      BPX_WRAPPER_DIR: out,
      BUILDPACK_DIR: join(out, 'bin', '..'),
    });
    const sup = await runScript(join(out, 'bin', 'supply'), builderArgv('supply', s), env);
    assert.is(sup.exitCode, 0, sup.stderr.toString());
    assert.match(sup.stdout.toString(), 'inner-env wrapper=none bpdir=none secret=none phase=none', why);
    // a BUILDPACK_DIR that is not this wrapper is the builder's business and stays
    // (and a value that holds `BPX_<name>=` words stays as it is)
    const elsewhere = '/elsewhere BPX_PHASE=1 * BPX_A-B=2';
    const other = await runScript(join(out, 'bin', 'supply'), builderArgv('supply', s), { ...env, BUILDPACK_DIR: elsewhere });
    assert.match(other.stdout.toString(), `inner-env wrapper=none bpdir=${elsewhere} secret=none phase=none`, why);
  }
});

/** The wrapped detect run as the builder runs it: exit code, stdout and stderr, one string to compare runs by. */
async function detectOutcome(wrapper: string, s: Staging): Promise<string> {
  const d = await runScript(join(wrapper, 'bin', 'detect'), builderArgv('detect', s), builderEnv());
  return `${d.exitCode}\n${d.stdout.toString()}\n${d.stderr.toString()}`;
}

test("a phase loads only the runtime's scripts it runs: a detect with detect-versions runs the same without the vulnerability scanner's or the zip reader's code", async () => {
  const root = tempDir();
  const out = join(root, 'w');
  const r = await wrap(
    bp('full'),
    'version: 1\nextensions:\n  - {name: versions, uses: builtin:detect-versions, at: [detect:after]}\n',
    out,
  );
  assert.is(r.exitCode, 0, r.stderr);
  const s = stagingDirs(tempDir());
  const detect = () => detectOutcome(out, s);
  const before = await detect();
  assert.match(before, /^0\nfull-buildpack=v1\.2\.3\n/);
  const phaseDir = join(out, 'runtime', 'phase');
  // the CVSS calculator's vectors, yauzl's message for a zip without its directory
  const gone = readdirSync(phaseDir).filter(
    (f) => f.endsWith('.cjs') && /CVSS:3|end of central directory/.test(readFileSync(join(phaseDir, f), 'latin1')),
  );
  assert.ok(gone.length >= 2, gone.join(' '));
  for (const f of gone) for (const p of [f, `${f}.v8cache`]) rmSync(join(phaseDir, p));
  assert.is(await detect(), before);
});

test("the app's Node variables (NODE_OPTIONS=--require of an agent it installs later) do not reach bpx's Node; the inner script and the extensions get them as the builder gave them", async () => {
  const root = tempDir();
  const inner = join(root, 'inner');
  mkdirSync(join(inner, 'bin'), { recursive: true });
  // what a process sees of Node's variables, and a multi-line one byte for byte after a line of its own
  const dump = (to: string) =>
    `{ echo "options=\${NODE_OPTIONS-unset} env=\${NODE_ENV-unset} path=\${NODE_PATH-unset} kept=\${BPX_KEPT_NODE_OPTIONS-unset}"; printf %s "$NODE_REPL_HISTORY"; } > ${to}`;
  writeFileSync(join(inner, 'bin', 'detect'), `#!/bin/sh\n${dump('"$MARKS/inner"')}\necho detected\n`, { mode: 0o755 });
  const multi = "two words\nline two with $HOME, 'quotes', \\backslash and a trailing newline\n";
  const env = (marks: string) =>
    builderEnv({
      MARKS: marks,
      NODE_OPTIONS: `--require ${join(root, 'no-such-agent.js')}`,
      NODE_ENV: 'production',
      NODE_REPL_HISTORY: multi,
      // only what the shim itself moved comes back: a BPX_KEPT_* the builder passes is not of its making
      BPX_KEPT_NODE_PATH: 'planted',
    });
  const seen = `options=--require ${join(root, 'no-such-agent.js')} env=production path=unset kept=unset\n${multi}`;
  for (const [at, why] of [
    ['detect:before', 'bpx runs the inner script'],
    ['detect:after', 'the shim runs the inner script first'],
  ] as const) {
    const out = join(root, `w-${at.replace(':', '-')}`);
    const manifest = `version: 1\nextensions:\n  - {name: show, at: [${at}], run: [sh, -c, '${dump('"$MARKS/ext"').replace(/'/g, "''")}']}\n`;
    const r = await wrap(inner, manifest, out);
    assert.is(r.exitCode, 0, r.stderr);
    const marks = tempDir();
    const s = stagingDirs(tempDir());
    const det = await runScript(join(out, 'bin', 'detect'), builderArgv('detect', s), env(marks));
    assert.is(det.exitCode, 0, `${why}: ${det.stderr.toString()}`);
    assert.is(det.stdout.toString(), 'detected\n', why);
    assert.is(readFileSync(join(marks, 'inner'), 'utf8'), seen, why);
    assert.is(readFileSync(join(marks, 'ext'), 'utf8'), seen, why);
  }
});

test('the phase runtime starts with V8 code caches its Node accepts, one per script; a damaged or missing cache, or none written, changes nothing but speed', async () => {
  const root = tempDir();
  const manifest = `version: 1\nextensions:\n  - {name: versions, uses: builtin:detect-versions, at: [detect:after]}\n  - {name: before, at: [detect:before], run: [sh, -c, 'echo before >&2']}\n`;
  const out = join(root, 'w');
  const r = await wrap(bp('full'), manifest, out);
  assert.is(r.exitCode, 0, r.stderr);
  assert.not.match(r.stderr, 'code cache');
  const rt = join(out, 'runtime');
  const phaseDir = join(rt, 'phase');
  const scripts = readdirSync(phaseDir).filter((f) => f.endsWith('.cjs') && f !== 'boot.cjs');
  const caches = () => readdirSync(phaseDir).filter((f) => f.endsWith('.v8cache'));
  // every script of the runtime has its cache (the entry, each built-in's chunks, a manager's loaded only for its files)
  assert.ok(scripts.length > 10, scripts.join(' '));
  assert.equal(caches().sort(), scripts.map((f) => `${f}.v8cache`).sort());
  const bytes = caches().reduce((n, f) => n + statSync(join(phaseDir, f)).size, 0);
  assert.ok(bytes > 100_000, `${bytes} bytes`);
  // V8 keeps the name a script's cache was made under: none names the folder bpx wrap made them in (the temporary one
  // beside the output), which a staging's stack traces would show; the scripts are named by their place in the runtime
  for (const f of caches()) {
    const cache = readFileSync(join(phaseDir, f));
    assert.is(cache.indexOf(root), -1, `${f} names ${root}`);
    // (the name is in there: the check above looks where it would be)
    assert.ok(cache.includes(f.slice(0, -'.v8cache'.length)), `${f} names its script`);
  }
  const check = async () => (await execa(join(rt, 'node'), [join(phaseDir, 'boot.cjs'), '--check-code-cache'], { env: {} })).stdout;
  assert.is(await check(), 'accepted');
  assert.match(readFileSync(join(out, 'bin', 'detect'), 'utf8'), '"$bpx_root/runtime/phase/boot.cjs" phase');
  // a wrapper whose extensions are all scripts starts the same runtime, with its caches; one whose shims never start
  // Node (no extension, none an app may add) has none to write
  const onlyScripts = join(root, 'w-scripts');
  assert.is((await wrap(bp('full'), manifest.replace(/\n {2}- \{name: versions[^\n]*/, ''), onlyScripts)).exitCode, 0);
  assert.match(readFileSync(join(onlyScripts, 'bin', 'detect'), 'utf8'), '"$bpx_root/runtime/phase/boot.cjs" phase');
  assert.ok(existsSync(join(onlyScripts, 'runtime', 'phase', 'bpx-phase.cjs.v8cache')));
  const none = join(root, 'w-none');
  assert.is((await wrap(bp('full'), 'version: 1\nextensions: []\n', none)).exitCode, 0);
  assert.equal(
    readdirSync(join(none, 'runtime', 'phase')).filter((f) => f.endsWith('.v8cache')),
    [],
  );
  const s = stagingDirs(tempDir());
  const detect = () => detectOutcome(out, s);
  const withCache = await detect();
  assert.match(withCache, /^0\nfull-buildpack=v1\.2\.3\n/);
  // a damaged cache is never handed to V8 (which checks a cache's version and flags, not its bytes: it can crash on one)
  const largest = caches().sort((a, b) => statSync(join(phaseDir, b)).size - statSync(join(phaseDir, a)).size)[0];
  for (const name of ['bpx-phase.cjs.v8cache', largest]) {
    const cache = join(phaseDir, name);
    const good = readFileSync(cache);
    for (const at of [0, 30, good.length >> 1, good.length - 1]) {
      const bad = Buffer.from(good);
      bad[at] ^= 0x5a;
      writeFileSync(cache, bad);
      assert.is(await check(), 'damaged', `${name}: byte ${at}`);
    }
    writeFileSync(cache, good.subarray(0, good.length >> 1));
    assert.is(await check(), 'damaged', `${name}: cut short`);
    assert.is(await detect(), withCache, name);
    writeFileSync(cache, good);
    assert.is(await check(), 'accepted', name);
  }
  // ones V8 made under other flags are intact but refused by V8: ignored
  await execa(join(rt, 'node'), ['--no-lazy', join(phaseDir, 'boot.cjs'), '--write-code-cache'], { env: {} });
  assert.is(await check(), 'rejected');
  assert.is(await detect(), withCache);
  for (const f of caches()) rmSync(join(phaseDir, f));
  assert.is(await check(), 'absent');
  assert.is(await detect(), withCache);
  // a Node that cannot write the cache: a warning, no cache, a wrapper that runs the same
  const launcher = join(root, 'node-no-cache');
  writeFileSync(
    launcher,
    `#!/bin/sh\n[ "$2" = --write-code-cache ] && { echo 'cannot write here' >&2; exit 3; }\nexec '${process.execPath}' "$@"\n`,
    {
      mode: 0o755,
    },
  );
  const m = join(root, 'bpx.yml');
  writeFileSync(m, manifest);
  const out2 = join(root, 'w2');
  const r2 = await execa(process.execPath, [bundle, 'wrap', bp('full'), '--manifest', m, '-o', out2, '--node', launcher], {
    reject: false,
  });
  assert.is(r2.exitCode, 0, r2.stderr);
  assert.match(r2.stderr, 'bpx wrap: warning: no code cache for the phase runtime (cannot write here)');
  assert.equal(
    readdirSync(join(out2, 'runtime', 'phase')).filter((f) => f.endsWith('.v8cache')),
    [],
  );
  const d2 = await runScript(join(out2, 'bin', 'detect'), builderArgv('detect', s), builderEnv());
  assert.is(`${d2.exitCode}\n${d2.stdout.toString()}\n${d2.stderr.toString()}`, withCache);
});

test('inner first: a phase with extensions only after the inner script starts Node only when the inner script succeeded', async () => {
  const root = tempDir();
  const m = join(root, 'bpx.yml');
  writeFileSync(
    m,
    `version: 1
extensions:
  - {name: versions, uses: builtin:detect-versions, at: [detect:after]}
  - {name: after, at: [supply:after, finalize:after, release:after], run: [sh, -c, 'echo "after $BPX_PHASE secret=\${OPS_SIGNING_KEY:-none}" >> "$MARK"'], with: {key: {env: OPS_SIGNING_KEY}}}
`,
  );
  const { out, nodeMark, starts } = await wrapCountingNode(root, m);
  const s = stagingDirs(root);
  const tmp = tempDir('bpx-inner-first-tmp-');
  const env = builderEnv({
    BPX_TEST_NODE_STARTS: nodeMark,
    MARK: s.mark,
    TMPDIR: tmp,
    OPS_SIGNING_KEY: 'TOPSECRET',
    BPX_PHASE: 'planted',
    BUILDPACK_DIR: join(out, 'bin', '..'),
  });
  // detect: the inner output is held for detect-versions, whose line replaces it
  const det = await runScript(join(out, 'bin', 'detect'), builderArgv('detect', s), env);
  assert.is(det.exitCode, 0, det.stderr.toString());
  assert.is(det.stdout.toString(), 'full-buildpack=v1.2.3\n');
  assert.is(starts(), 1);
  // supply: the inner script runs before Node, with the environment the Node path gives it; its install lines reach the state
  const sup = await runScript(join(out, 'bin', 'supply'), builderArgv('supply', s), env);
  assert.is(sup.exitCode, 0, sup.stderr.toString());
  assert.match(sup.stdout.toString(), 'inner-env wrapper=none bpdir=none secret=none phase=none');
  assert.is(starts(), 2);
  assert.equal(JSON.parse(readFileSync(statePath(tmp, s.app), 'utf8')).installs, [
    { name: 'tool', version: '4.5.6' },
    { name: 'other', version: '1.0.0-rc.1' },
  ]);
  assert.is(readFileSync(s.mark, 'utf8'), 'inner supply\nafter supply secret=none\n', 'the extension runs after the inner script');
  // a failed inner script: its code and output, no Node, no extension, the staging state removed
  writeFileSync(join(s.app, 'FAIL_FINALIZE'), '7');
  const fin = await runScript(join(out, 'bin', 'finalize'), builderArgv('finalize', s), env);
  assert.is(fin.exitCode, 7);
  assert.is(fin.stdout.toString(), 'finalize refuses\n');
  assert.is(starts(), 2, 'a failed inner script starts no Node');
  assert.not.ok(existsSync(dirname(statePath(tmp, s.app))), 'the staging state is removed');
  writeFileSync(join(s.app, 'FAIL_DETECT'), '1');
  const det2 = await runScript(join(out, 'bin', 'detect'), builderArgv('detect', s), env);
  assert.is(det2.exitCode, 1);
  assert.is(starts(), 2);
  assert.equal(readdirSync(tmp), [], 'no file of the shims is left in TMPDIR');
  // an app bpx.yml (here one the operator does not allow): the whole phase runs in Node, its notice before the inner output
  for (const f of ['FAIL_DETECT', 'FAIL_FINALIZE']) rmSync(join(s.app, f));
  writeFileSync(join(s.app, 'bpx.yml'), 'version: 1\nextensions: []\n');
  const sup2 = await runScript(join(out, 'bin', 'supply'), builderArgv('supply', s), env);
  assert.is(sup2.exitCode, 0, sup2.stderr.toString());
  assert.is(starts(), 3);
  assert.ok(
    sup2.stdout.toString().indexOf("[bpx] the app's bpx.yml is ignored") < sup2.stdout.toString().indexOf('-----> Full Buildpack'),
    sup2.stdout.toString(),
  );
});

test('a phase whose staging log the builder reads late loses none of it: the process ends once its output is out', async () => {
  const root = tempDir();
  const m = join(root, 'bpx.yml');
  // 40,000 lines (about 1.3 MB) from an extension, far more than a pipe holds while nobody reads it
  writeFileSync(
    m,
    `version: 1
extensions:
  - {name: loud, at: [finalize:after], run: [sh, -c, 'i=0; while [ $i -lt 40000 ]; do echo "line $i of the loud extension"; i=$((i+1)); done']}
`,
  );
  const { out } = await wrapCountingNode(root, m);
  const s = stagingDirs(root);
  const child = spawn(join(out, 'bin', 'finalize'), builderArgv('finalize', s), { env: builderEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  const exited = new Promise<number | null>((done) => child.on('exit', done));
  // the builder is busy for 3 s (longer than the phase waits for an abandoned built-in) before it reads stdout
  child.stdout.pause();
  await new Promise((done) => setTimeout(done, 3000));
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  child.stdout.resume();
  await new Promise((done) => child.stdout.on('end', done));
  const code = await exited;
  assert.is(code, 0, Buffer.concat(stderr).toString());
  const lines = Buffer.concat(chunks)
    .toString()
    .split('\n')
    .filter((l) => l.startsWith('[loud] '));
  assert.is(lines.length, 40000);
  assert.is(lines.at(-1), '[loud] line 39999 of the loud extension');
});

test.run();
