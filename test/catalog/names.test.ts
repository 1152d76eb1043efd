// File-name tests read off the managers' patterns (src/catalog/names.ts): what the walk checks before it builds a path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { anyName, nameFilter, nameTestOf } from '../../src/catalog/names.ts';
import { managers } from '../../src/catalog/registry.ts';
import { repoRoot } from './corpus.ts';

test('nameTestOf: how every match ends, read off the source; undefined when it does not say plainly', () => {
  const cases: Array<[RegExp, string[] | undefined, string[]?]> = [
    [/(^|\/)Cargo\.lock$/, ['Cargo.lock']],
    [/(^|\/)vendor\/modules\.txt$/, ['modules.txt']],
    [/(^|\/)(Gemfile\.lock|gems\.locked)$/, ['Gemfile.lock', 'gems.locked']],
    [/(^|\/)(requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/, ['.txt']],
    [/^deps\/[^/]+\/(?!node_modules\/)[^/.][^/]*\/package\.json$/, ['package.json']],
    [/(^|\/)release$|(^|\/)go\/VERSION$/, ['release', 'VERSION']],
    [/ab+$/, ['b']],
    [/a\nb$/, ['a\nb']],
    [/\.(jar|war|ear)$/i, undefined, ['jar', 'war', 'ear']],
    [/\d$/, undefined],
    [/abc?$/, undefined],
    [/(^|\/)bin\/[^/.]+$/, undefined],
    [/a$|b/, undefined],
    [/package\.json/, undefined],
    [/x(?:\.so)?$/, undefined],
    [/a\/$/, undefined],
    [/a$/m, undefined],
  ];
  for (const [re, suffixes, folded] of cases) {
    const t = nameTestOf(re);
    if (suffixes === undefined && folded === undefined) assert.is(t, undefined, String(re));
    else {
      assert.equal(t?.suffixes, suffixes ?? [], String(re));
      assert.equal(t?.suffixesIgnoringCase, folded ?? [], String(re));
    }
  }
});

test('nameFilter: any suffix (case folded where asked) or pattern; anyName of an undefined test is undefined', () => {
  const f = nameFilter({ suffixes: ['package.json', '.txt'], suffixesIgnoringCase: ['jar'], patterns: [/^[^.]+$/] });
  for (const [name, want] of [
    ['package.json', true],
    ['x.package.json', true],
    ['index.js', false],
    ['LICENSE', true],
    ['a.TXT', false],
    ['lib.JAR', true],
    ['lib.Jar', true],
    ['jar.js', false],
  ] as const)
    assert.is(f(name), want, name);
  assert.is(anyName([{ suffixes: ['a'], suffixesIgnoringCase: [], patterns: [] }, undefined]), undefined);
  assert.equal(anyName([]), { suffixes: [], suffixesIgnoringCase: [], patterns: [] });
});

test('every file a manager matches passes its name test (each manager has one): testdata of every manager', () => {
  const paths: string[] = [];
  const visit = (dir: string, rel: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) visit(path.join(dir, e.name), r);
      else paths.push(r);
    }
  };
  visit(path.join(repoRoot, 'test/catalog/managers'), '');
  // the same files as the app would hold them: at the root, below app/ and deps/0/
  const all = paths.flatMap((p) => {
    const inCase = p.split('/').slice(3).join('/');
    return [inCase, `app/${inCase}`, `deps/0/${inCase}`];
  });
  for (const m of managers) {
    assert.ok(m.names, `${m.id} has no name test: the walk would list every file of the tree for it`);
    const pass = nameFilter(m.names!);
    let matched = 0;
    for (const p of all) {
      if (!m.matches(p)) continue;
      matched++;
      assert.ok(pass(p.slice(p.lastIndexOf('/') + 1)), `${m.id}: ${p} matches but its name does not pass`);
    }
    assert.ok(matched > 0, `${m.id}: no testdata file matched`);
  }
});

test.run();
