// Issue 11 item 12: `bpx validate` reports everything `bpx wrap` will refuse about the files a manifest references (a
// run script or with: file that is a dangling link, a link loop, a link out of the manifest's folder to something that
// cannot be shipped, a path out of the folder, a missing script), located as FILE:LINE:COL: PATH: message; and wrap
// refuses exactly those, with the same lines, writing nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, ensureBundle, repoRoot, tempDir } from './helpers.ts';

ensureBundle();
const buildpack = join(repoRoot, 'test', 'lifecycle', 'fixtures', 'buildpacks', 'supply-only');

const MANIFEST = `version: 1
extensions:
  - name: dangling
    at: supply:before
    run: hooks/dangling.sh
  - name: fifo
    at: supply:before
    run: [sh, hooks/fifo]
  - name: settings
    at: supply:before
    run: hooks/ok.sh
    with:
      cfg: loop
      data: data
      lib: lib
      up: ../outside.txt
      note: just words, not a file
  - name: missing
    at: supply:before
    run: [./hooks/missing.sh, --flag]
`;

/** ops/ with the manifest and every awkward reference; shared/ beside it, outside the manifest's folder. */
function layout(): string {
  const root = tempDir('bpx-refs-');
  const ops = join(root, 'ops');
  mkdirSync(join(ops, 'hooks'), { recursive: true });
  mkdirSync(join(ops, 'data'));
  mkdirSync(join(root, 'shared', 'lib'), { recursive: true });
  writeFileSync(join(root, 'outside.txt'), 'x\n');
  writeFileSync(join(ops, 'hooks', 'ok.sh'), '#!/bin/sh\n');
  chmodSync(join(ops, 'hooks', 'ok.sh'), 0o755);
  execFileSync('mkfifo', [join(root, 'shared', 'fifo')]);
  // a script that is a link to a file that is gone
  symlinkSync(join(root, 'gone.sh'), join(ops, 'hooks', 'dangling.sh'));
  // a link out of the manifest's folder to something that is neither a file nor a folder
  symlinkSync('../../shared/fifo', join(ops, 'hooks', 'fifo'));
  // a link to itself
  symlinkSync('loop', join(ops, 'loop'));
  // a folder with a dangling link in it
  writeFileSync(join(ops, 'data', 'ok.json'), '{}');
  symlinkSync('nowhere', join(ops, 'data', 'bad'));
  // a link out of the folder to a folder holding a dangling link
  writeFileSync(join(root, 'shared', 'lib', 'a.txt'), 'a');
  symlinkSync('../missing-target', join(root, 'shared', 'lib', 'x'));
  symlinkSync('../shared/lib', join(ops, 'lib'));
  writeFileSync(join(ops, 'bpx.yml'), MANIFEST);
  return root;
}

const EXPECTED = [
  /^ops\/bpx\.yml:5:10: extensions\[0\]\.run: cannot ship hooks\/dangling\.sh: a dangling symbolic link \(to \/\S+\/gone\.sh, which does not exist\)$/,
  /^ops\/bpx\.yml:8:15: extensions\[1\]\.run\[1\]: cannot ship hooks\/fifo: neither a file nor a folder \(a device, socket or pipe cannot be shipped\)$/,
  /^ops\/bpx\.yml:13:12: extensions\[2\]\.with\.cfg: cannot ship loop: a symbolic link loop$/,
  /^ops\/bpx\.yml:14:13: extensions\[2\]\.with\.data: cannot ship data\/bad: a dangling symbolic link \(to nowhere, which does not exist\)$/,
  /^ops\/bpx\.yml:15:12: extensions\[2\]\.with\.lib: cannot ship lib\/x: a dangling symbolic link \(to \.\.\/missing-target, which does not exist\)$/,
  /^ops\/bpx\.yml:16:11: extensions\[2\]\.with\.up: \.\.\/outside\.txt lies outside the manifest's folder: bpx wrap ships referenced files with the manifest, so they must sit beside it or below it$/,
  /^ops\/bpx\.yml:20:11: extensions\[3\]\.run\[0\]: run script \.\/hooks\/missing\.sh not found \(relative to \/\S+\/ops\)$/,
];

test('bpx validate reports every reference bpx wrap would refuse, located, exit 1', async () => {
  const root = layout();
  const r = await cli(['validate', 'ops/bpx.yml'], root);
  assert.is(r.code, 1, r.err);
  const lines = r.out.trim().split('\n');
  assert.is(lines.length, EXPECTED.length, r.out);
  EXPECTED.forEach((re, i) => assert.match(lines[i]!, re));
  // --json carries the same, as errors
  const j = await cli(['validate', '--json', 'ops/bpx.yml'], root);
  const errors = JSON.parse(j.out).files[0].errors as Array<{ line: number; column: number; path: string; severity: string }>;
  assert.equal(
    errors.map((e) => `${e.line}:${e.column} ${e.path} ${e.severity}`),
    [
      '5:10 extensions[0].run error',
      '8:15 extensions[1].run[1] error',
      '13:12 extensions[2].with.cfg error',
      '14:13 extensions[2].with.data error',
      '15:12 extensions[2].with.lib error',
      '16:11 extensions[2].with.up error',
      '20:11 extensions[3].run[0] error',
    ],
  );
});

test('bpx wrap refuses the same references with the same located lines, and writes nothing', async () => {
  const root = layout();
  const v = await cli(['validate', 'ops/bpx.yml'], root);
  const w = await cli(['wrap', buildpack, '--manifest', 'ops/bpx.yml', '-o', 'out/wrapped.zip'], root);
  assert.is(w.code, 1, w.err);
  const located = w.err.split('\n').filter((l) => /^ops\/bpx\.yml:\d+:\d+: /.test(l));
  assert.equal(located, v.out.trim().split('\n'));
  assert.is(located.length, EXPECTED.length, w.err);
  EXPECTED.forEach((re, i) => assert.match(located[i]!, re));
  assert.match(w.err, /bpx wrap: \S+ops\/bpx\.yml: invalid manifest\n$/);
  assert.not.ok(existsSync(join(root, 'out')), 'no output, not even its folder');
});

test('once every reference can be shipped, validate passes and wrap ships links as their content', async () => {
  const root = layout();
  const ops = join(root, 'ops');
  // the fixes an operator would make: real files where links dangled, the outside file moved in
  writeFileSync(join(root, 'gone.sh'), '#!/bin/sh\necho gone\n');
  chmodSync(join(root, 'gone.sh'), 0o755);
  writeFileSync(join(root, 'shared', 'missing-target'), 'now here');
  writeFileSync(join(ops, 'data', 'nowhere'), 'now here');
  writeFileSync(join(ops, 'hooks', 'missing.sh'), '#!/bin/sh\n');
  chmodSync(join(ops, 'hooks', 'missing.sh'), 0o755);
  writeFileSync(
    join(ops, 'bpx.yml'),
    MANIFEST.replace('run: [sh, hooks/fifo]', 'run: [sh, -c, "true"]')
      .replace('      cfg: loop\n', '')
      .replace('../outside.txt', 'data/ok.json'),
  );
  const v = await cli(['validate', 'ops/bpx.yml'], root);
  assert.is(v.code, 0, v.out + v.err);
  const w = await cli(['wrap', buildpack, '--manifest', 'ops/bpx.yml', '-o', 'out/w'], root);
  assert.is(w.code, 0, w.err);
  const shipped = join(root, 'out', 'w', 'bpx');
  for (const [rel, content] of [
    ['hooks/dangling.sh', '#!/bin/sh\necho gone\n'],
    ['lib/x', 'now here'],
    ['data/bad', 'now here'],
  ] as const) {
    assert.ok(lstatSync(join(shipped, rel)).isFile(), `${rel} ships as a file`);
    assert.is(readFileSync(join(shipped, rel), 'utf8'), content, rel);
  }
  assert.not.ok(existsSync(join(shipped, 'loop')));
});

test.run();
