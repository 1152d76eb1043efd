// byFile and byKind (src/catalog/declare.ts): what a manager's index.ts wires its file patterns with.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { byFile, byKind, literalTail } from '../../src/catalog/declare.ts';
import type { FileParser, MatchedFiles, ScanContext } from '../../src/catalog/types.ts';

const context = (files: Record<string, string>): ScanContext => ({
  files: Object.keys(files).map((path) => ({ path, size: files[path].length })),
  has: (p) => p in files,
  read: async (p) => {
    if (!(p in files)) throw new Error(`${p}: not a file below the scanned root`);
    return Buffer.from(files[p]);
  },
  readText: async (p) => (await context(files).read(p)).toString('utf8'),
  includeDev: false,
});

test('byFile: matches the patterns ({match, not} too); each file goes to its parser; an unreadable one is an error issue', async () => {
  const seen: string[] = [];
  let loads = 0;
  const code: FileParser[] = [
    (text, path) => (seen.push(`a:${path}:${text}`), { components: [], issues: [] }),
    (text, path) => (seen.push(`b:${path}:${text}`), { components: [], issues: [{ path, severity: 'warning', message: 'b' }] }),
  ];
  // the parsers' module, loaded when the first files come
  const load = async () => (loads++, { parseA: code[0], parseB: code[1], VERSION: 1 });
  const m = byFile(load, [
    [{ match: /(^|\/)a\.lock$/, not: /node_modules\// }, 'parseA'],
    [/(^|\/)b\.lock$/, 'parseB'],
  ]);
  assert.is(loads, 0, 'nothing loaded to match');
  assert.ok(m.matches('x/a.lock'));
  assert.not.ok(m.matches('node_modules/x/a.lock'));
  assert.ok(m.matches('b.lock'));
  assert.not.ok(m.matches('c.lock'));
  const r = await m.parse(['a.lock', 'b.lock', 'gone/a.lock'], context({ 'a.lock': 'A', 'b.lock': 'B' }));
  assert.equal(seen, ['a:a.lock:A', 'b:b.lock:B']);
  assert.equal(
    r.issues.map((i) => `${i.path} ${i.severity}`),
    ['b.lock warning', 'gone/a.lock error'],
  );
  await m.parse(['b.lock'], context({ 'b.lock': 'B' }));
  assert.is(loads, 1, 'loaded once');
});

test('byKind: each path gets the first kind it matches; the catalog sees the paths in order, by kind', async () => {
  let got: MatchedFiles<'lock' | 'installed'> | undefined;
  const m = byKind({ lock: /\.lock$/, installed: (p: string) => p.startsWith('vendor/') }, async () => ({
    catalog: async (files: MatchedFiles<'lock' | 'installed'>) => {
      got = files;
      return { components: [], issues: [] };
    },
  }));
  assert.ok(m.matches('vendor/x.lock'));
  assert.ok(m.matches('vendor/x.json'));
  assert.not.ok(m.matches('x.json'));
  await m.parse(['a.lock', 'vendor/b.json', 'vendor/c.lock'], context({}));
  assert.equal(got?.paths, ['a.lock', 'vendor/b.json', 'vendor/c.lock']);
  assert.equal(got?.of, { lock: ['a.lock', 'vendor/c.lock'], installed: ['vendor/b.json'] });
  assert.is(got?.kindOf('vendor/c.lock'), 'lock');
  assert.is(got?.kindOf('x.json'), undefined);
});

test('byKind with anchors: without a file of an anchor kind the catalog is not loaded and nothing is said', async () => {
  let loads = 0;
  const m = byKind(
    { lock: /\.lock$/, installed: (p: string) => p.startsWith('vendor/') },
    async () => {
      loads++;
      return { catalog: async () => ({ components: [], issues: [{ path: '.', severity: 'warning' as const, message: 'ran' }] }) };
    },
    ['lock'],
  );
  assert.equal(await m.parse(['vendor/b.json'], context({})), { components: [], issues: [] });
  assert.is(loads, 0);
  assert.is((await m.parse(['a.lock', 'vendor/b.json'], context({}))).issues.length, 1);
  assert.is(loads, 1);
});

test('literalTail: the plain text a pattern ends with, or nothing when the source does not say it plainly', () => {
  const cases: Array<[RegExp, string]> = [
    [/(^|\/)Cargo\.lock$/, 'Cargo.lock'],
    [/(^|\/)vendor\/modules\.txt$/, 'vendor/modules.txt'],
    [/(^|\/)[^/]+\.deps\.json$/, '.deps.json'],
    [/^deps\/[^/]+\/(?!node_modules\/)[^/.][^/]*\/package\.json$/, '/package.json'],
    [/ab+c$/, 'c'],
    [/[a|b]c$/, 'c'],
    [/x\\.y$/, 'y'], // a backslash, then any character
    [/\.(jar|war|ear)$/i, ''],
    [/\.jar$/i, ''],
    [/a$|b\.lock$/, ''],
    [/abc?$/, ''],
    [/a{2}$/, ''],
    [/\d$/, ''],
    [/(^|\/)bin\/(jvmkill)-(\d+)(?:\.so)?$/, ''],
    [/package\.json/, ''],
  ];
  for (const [re, tail] of cases) assert.is(literalTail(re), tail, String(re));
  // the check it allows is only a shortcut: the matches are the pattern's
  const m = byFile(async () => ({ p: () => ({ components: [], issues: [] }) }), [[{ match: /(^|\/)a\.lock$/, not: /skip\// }, 'p']]);
  for (const [path, want] of [
    ['a.lock', true],
    ['x/a.lock', true],
    ['xa.lock', false],
    ['skip/a.lock', false],
    ['a.lock.bak', false],
  ] as const)
    assert.is(m.matches(path), want, path);
});

test.run();
