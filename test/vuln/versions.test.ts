// Every line of the osv-scanner version-order vectors (../shared/corpus/version-order) through our comparators.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareVersions } from '../../src/vuln/versions/index.ts';
import { needShared } from '../shared.ts';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const dir = join(repo, '..', 'shared', 'corpus', 'version-order');
const have = existsSync(dir);

const FILES: Array<[string, string[]]> = [
  ['npm', ['semver-versions.txt']],
  ['crates.io', ['semver-versions.txt']],
  ['Go', ['semver-versions.txt']],
  ['PyPI', ['pypi-versions.txt', 'pypi-versions-generated.txt']],
  ['RubyGems', ['rubygems-versions.txt', 'rubygems-versions-generated.txt']],
  ['Maven', ['maven-versions.txt', 'maven-versions-generated.txt']],
  ['NuGet', ['nuget-versions.txt']],
  ['Packagist', ['packagist-versions.txt', 'packagist-versions-generated.txt']],
  ['Debian', ['debian-versions.txt', 'debian-versions-generated.txt']],
];
const OP = { '<': -1, '=': 0, '>': 1 } as const;

for (const [eco, files] of FILES) {
  for (const file of files) {
    test(`${eco}: ${file}`, () => {
      if (!needShared(dir, 'the osv-scanner version-order vectors')) return;
      const failures: string[] = [];
      let n = 0;
      readFileSync(join(dir, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const t = line.trim();
          if (!t || t.startsWith('#') || t.startsWith('//')) return;
          const [a, op, b] = t.split(' ');
          const want = OP[op as keyof typeof OP];
          assert.ok(a !== undefined && b !== undefined && want !== undefined, `${file}:${i + 1}: bad line`);
          n++;
          const got = compareVersions(eco, a!, b!);
          const back = compareVersions(eco, b!, a!);
          if (got !== want || back !== -want) failures.push(`${file}:${i + 1}: ${t} (got ${got}, reverse ${back})`);
        });
      assert.ok(n > 0);
      assert.equal(failures.slice(0, 10), [], `${failures.length} of ${n} lines fail`);
    });
  }
}

test('unknown ecosystem throws a named error', () => {
  assert.throws(() => compareVersions('CRAN', '1', '2'), /CRAN/);
});

test.run();
