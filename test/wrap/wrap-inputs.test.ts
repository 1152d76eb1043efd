// bpx wrap on awkward inputs and outputs: nested folders, Windows scripts, missing or unwritable output folders,
// --node checks, outputs that would delete an input, manifest references that are links.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { bundle, ensureBundle, fixtures, nodeLauncher, tempDir } from '../lifecycle/helpers.ts';

ensureBundle();
const bp = (n: string) => join(fixtures, 'buildpacks', n);
const EMPTY = 'version: 1\nextensions: []\n';

function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      const st = lstatSync(p);
      out.push(`${(st.mode & 0o777).toString(8)} ${relative(dir, p)}`);
      if (st.isDirectory()) walk(p);
    }
  };
  walk(dir);
  return out;
}

async function wrap(root: string, inner: string, out: string, extra: string[] = [], manifest = EMPTY) {
  const m = join(root, 'ops', 'bpx.yml');
  mkdirSync(join(root, 'ops'), { recursive: true });
  if (!existsSync(m)) writeFileSync(m, manifest);
  const node = extra.includes('--node') ? [] : ['--node', nodeLauncher(root)];
  const r = await execa(process.execPath, [bundle, 'wrap', inner, '--manifest', m, '-o', out, ...node, ...extra], {
    reject: false,
    cwd: root,
  });
  return { code: r.exitCode, stderr: r.stderr };
}

/** What every failure must look like: one located message, no code twice, no temp name, no stack. */
function cleanFailure(r: { code?: number; stderr: string }, expected: string | RegExp) {
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, expected);
  assert.not.match(r.stderr, /\.bpx-wrap-|\.tmp\b/, `no internal temp name: ${r.stderr}`);
  assert.not.match(r.stderr, /\b(E[A-Z]{3,})\b.*\b\1\b/, `no error code twice: ${r.stderr}`);
  assert.not.match(r.stderr, /^\s+at /m, 'no stack trace');
}

test('a folder nested one level deep (no bin/, one entry with bin/) wraps as CF stages it', async () => {
  const root = tempDir();
  cpSync(bp('full'), join(root, 'download', 'full-buildpack-v1.2.3'), { recursive: true });
  const out = join(root, 'w');
  const r = await wrap(root, join(root, 'download'), out);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(out, 'bin')).sort(), ['detect', 'finalize', 'release', 'supply']);
  assert.equal(files(join(out, 'inner')), files(bp('full')), 'the nested folder is the inner');
  assert.is(readFileSync(join(out, 'VERSION'), 'utf8'), '1.2.3\n');
  // two levels deep is not a buildpack for CF either
  mkdirSync(join(root, 'deeper'));
  cpSync(join(root, 'download'), join(root, 'deeper', 'download'), { recursive: true });
  cleanFailure(await wrap(root, join(root, 'deeper'), join(root, 'w2')), 'not a buildpack');
});

test('Windows scripts stay under inner/, no shim for them, and wrap says the result is for Linux stacks only', async () => {
  const root = tempDir();
  const inner = join(root, 'binary-buildpack');
  cpSync(bp('full'), inner, { recursive: true });
  for (const f of ['detect.bat', 'supply.bat', 'finalize.bat', 'release.bat', 'compile.exe'])
    writeFileSync(join(inner, 'bin', f), '@echo off\r\n');
  const out = join(root, 'w');
  const r = await wrap(root, inner, out);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(out, 'bin')).sort(), ['detect', 'finalize', 'release', 'supply'], 'exactly the POSIX phase scripts');
  assert.equal(files(join(out, 'inner')), files(inner));
  const lines = r.stderr.split('\n').filter((l) => /Windows/.test(l));
  assert.is(lines.length, 1, r.stderr);
  assert.match(lines[0], 'bin/compile.exe, bin/detect.bat, bin/finalize.bat, bin/release.bat, bin/supply.bat');
  assert.match(lines[0], 'for Linux stacks only');
  // no Windows scripts: no such line
  assert.not.match((await wrap(root, bp('full'), join(root, 'w2'))).stderr, 'Windows');
});

test('the shims are exactly the phase scripts the builder sees: links count, dangling links and other names do not', async () => {
  const root = tempDir();
  const inner = join(root, 'bp');
  mkdirSync(join(inner, 'bin'), { recursive: true });
  writeFileSync(join(inner, 'bin', 'supply.sh'), '#!/bin/sh\necho supplied\n');
  chmodSync(join(inner, 'bin', 'supply.sh'), 0o755);
  symlinkSync('supply.sh', join(inner, 'bin', 'supply'));
  symlinkSync('supply.sh', join(inner, 'bin', 'finalize'));
  symlinkSync('nowhere', join(inner, 'bin', 'detect'));
  writeFileSync(join(inner, 'bin', 'Release'), '');
  writeFileSync(join(inner, 'bin', 'compile.orig'), '');
  const out = join(root, 'w');
  const r = await wrap(root, inner, out);
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(out, 'bin')).sort(), ['finalize', 'supply']);
  assert.equal(readdirSync(join(out, 'inner', 'bin')).sort(), readdirSync(join(inner, 'bin')).sort());
});

test('-o with missing parents creates them (folder and zip); a failed wrap removes what it created', async () => {
  const root = tempDir();
  const r = await wrap(root, bp('supply-only'), join(root, 'out', 'sub', 'x'));
  assert.is(r.code, 0, r.stderr);
  assert.equal(readdirSync(join(root, 'out', 'sub', 'x', 'bin')), ['supply']);
  const z = await wrap(root, bp('supply-only'), join(root, 'zips', 'a', 'w.zip'));
  assert.is(z.code, 0, z.stderr);
  assert.equal(readdirSync(join(root, 'zips', 'a')), ['w.zip']);
  // a corrupt zip fails after the folders were made: they go again, and no temp file is left anywhere
  writeFileSync(join(root, 'corrupt.zip'), 'PK\u0003\u0004 not really');
  cleanFailure(await wrap(root, join(root, 'corrupt.zip'), join(root, 'new', 'deep', 'w')), 'not a readable zip');
  assert.not.ok(existsSync(join(root, 'new')));
  cleanFailure(await wrap(root, join(root, 'corrupt.zip'), join(root, 'out', 'sub', 'y.zip')), 'not a readable zip');
  assert.equal(readdirSync(join(root, 'out', 'sub')), ['x']);
});

test('unwritable output places and a bad --node are one clean line each', async () => {
  const root = tempDir();
  writeFileSync(join(root, 'a-file'), 'x');
  cleanFailure(
    await wrap(root, bp('supply-only'), join(root, 'a-file', 'sub', 'w')),
    `${join(root, 'a-file', 'sub')}: cannot create the output's folder: not a directory`,
  );
  cleanFailure(await wrap(root, bp('supply-only'), join(root, 'a-file', 'w.zip')), /not a directory/);
  if (process.getuid?.() !== 0) {
    mkdirSync(join(root, 'ro'));
    chmodSync(join(root, 'ro'), 0o555);
    cleanFailure(await wrap(root, bp('supply-only'), join(root, 'ro', 'w')), `${join(root, 'ro')}: cannot write: permission denied`);
    chmodSync(join(root, 'ro'), 0o755);
  }
  cleanFailure(
    await wrap(root, bp('supply-only'), join(root, 'w'), ['--node', '/nonexistent/node']),
    '/nonexistent/node: no such file or directory',
  );
  cleanFailure(
    await wrap(root, bp('supply-only'), join(root, 'w'), ['--node', '/bin/ls']),
    /\/bin\/ls: not a Node binary \(`--version` printed "ls \(GNU coreutils\)/,
  );
  cleanFailure(await wrap(root, bp('supply-only'), join(root, 'w'), ['--node', root]), 'not a file');
  writeFileSync(join(root, 'old-node'), '#!/bin/sh\necho v18.20.3\n');
  chmodSync(join(root, 'old-node'), 0o755);
  cleanFailure(await wrap(root, bp('supply-only'), join(root, 'w'), ['--node', join(root, 'old-node')]), 'Node v18.20.3 is too old');
  writeFileSync(join(root, 'not-exec'), '#!/bin/sh\necho v20.1.0\n');
  cleanFailure(await wrap(root, bp('supply-only'), join(root, 'w'), ['--node', join(root, 'not-exec')]), 'does not run as Node');
  assert.not.ok(existsSync(join(root, 'w')));
});

test('-o that is, holds or lies inside an input is refused even with --force, and the inputs survive', async () => {
  const root = tempDir();
  const inner = join(root, 'bps', 'mine');
  cpSync(bp('full'), inner, { recursive: true });
  mkdirSync(join(root, 'ops', 'keys'), { recursive: true });
  writeFileSync(join(root, 'ops', 'keys', 'only-copy.key'), 'secret');
  writeFileSync(
    join(root, 'ops', 'bpx.yml'),
    'version: 1\nextensions:\n  - {name: k, at: [supply:after], run: [sh, -c, "true"], with: {key: keys/only-copy.key}}\n',
  );
  const cases: Array<[string, string]> = [
    [inner, 'is the inner buildpack'],
    [join(root, 'bps'), 'holds the inner buildpack'],
    [join(root, 'ops'), "is the manifest's folder"],
    [root, 'holds the inner buildpack'],
    [join(root, 'ops', 'keys'), 'holds a file the manifest references'],
    [join(root, 'ops', 'keys', 'only-copy.key'), 'is a file the manifest references'],
    [join(inner, 'wrapped'), 'lies inside the inner buildpack'],
    [join(inner, 'wrapped.zip'), 'lies inside the inner buildpack'],
  ];
  for (const [out, message] of cases) {
    cleanFailure(await wrap(root, inner, out, ['--force']), message);
    assert.equal(files(inner), files(bp('full')), `${out}: the inner is intact`);
    assert.is(readFileSync(join(root, 'ops', 'keys', 'only-copy.key'), 'utf8'), 'secret');
  }
  // through a link to the inner, too
  symlinkSync(inner, join(root, 'link-to-inner'));
  cleanFailure(await wrap(root, inner, join(root, 'link-to-inner'), ['--force']), 'is the inner buildpack');
  // beside the manifest is fine
  const ok = await wrap(root, inner, join(root, 'ops', 'wrapped.zip'), ['--force']);
  assert.is(ok.code, 0, ok.stderr);
});

test('a referenced script that is a link out of the manifest folder ships as its content; a dangling one is a located error', async () => {
  const root = tempDir();
  mkdirSync(join(root, 'shared'));
  writeFileSync(join(root, 'shared', 'lint.sh'), '#!/bin/sh\necho linted\n');
  chmodSync(join(root, 'shared', 'lint.sh'), 0o755);
  mkdirSync(join(root, 'ops', 'hooks'), { recursive: true });
  symlinkSync(join(root, 'shared', 'lint.sh'), join(root, 'ops', 'hooks', 'lint.sh'));
  mkdirSync(join(root, 'ops', 'data'));
  symlinkSync('../../shared/lint.sh', join(root, 'ops', 'data', 'rel-link'));
  writeFileSync(
    join(root, 'ops', 'bpx.yml'),
    'version: 1\nextensions:\n  - {name: lint, at: [supply:before], run: hooks/lint.sh, with: {dir: data}}\n',
  );
  const out = join(root, 'w');
  const r = await wrap(root, bp('supply-only'), out);
  assert.is(r.code, 0, r.stderr);
  for (const f of [
    ['hooks', 'lint.sh'],
    ['data', 'rel-link'],
  ]) {
    const p = join(out, 'bpx', ...f);
    assert.ok(lstatSync(p).isFile(), `${f.join('/')} is a file, not a link`);
    assert.is(readFileSync(p, 'utf8'), '#!/bin/sh\necho linted\n');
  }
  assert.is(lstatSync(join(out, 'bpx', 'hooks', 'lint.sh')).mode & 0o777, 0o755);
  symlinkSync(join(root, 'gone.sh'), join(root, 'ops', 'data', 'dangling'));
  cleanFailure(
    await wrap(root, bp('supply-only'), join(root, 'w2')),
    /bpx\.yml:3:\d+: extensions\[0\]\.with\.dir: cannot ship data\/dangling: a dangling symbolic link \(to \S+gone\.sh, which does not exist\)/,
  );
  assert.not.ok(existsSync(join(root, 'w2')));
});

test.run();
