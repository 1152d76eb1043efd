// License policy: allow/deny ids and exceptions, OR/AND choices, per-package exemptions, unknown and unparseable licenses.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeComponent, normaliseLicenses } from '../../src/model/index.ts';
import { evaluateLicenses, globToRegExp, parseExpression, parsePolicy, toText } from '../../src/license/index.ts';

const comp = (name: string, version: string, licenses: string[], ecosystem: 'npm' | 'maven' = 'npm') =>
  makeComponent({
    ecosystem,
    name,
    version,
    licenses: normaliseLicenses(licenses),
    location: { path: 'package-lock.json', source: 'lockfile' },
  });

const comps = [
  comp('express', '4.21.2', ['MIT']),
  comp('rxjs', '7.8.1', ['Apache-2.0']),
  comp('dual', '1.0.0', ['(MIT OR GPL-3.0-only)']),
  comp('gpl-only', '1.0.0', ['GPL-3.0-only']),
  comp('old-gpl', '1.0.0', ['GPL-2.0+']),
  comp('both', '1.0.0', ['MIT', 'GPL-3.0-only']),
  comp('custom', '1.0.0', ['SEE LICENSE IN LICENSE.txt']),
  comp('none', '1.0.0', []),
  comp('@acme/internal', '2.0.0', ['UNLICENSED']),
  comp('org.openjdk:nashorn', '15.4', ['GPL-2.0-only WITH Classpath-exception-2.0'], 'maven'),
  comp('sloppy', '1.0.0', ['Apache 2']),
];

const ids = (vs: ReturnType<typeof evaluateLicenses>) => vs.map((v) => `${v.name}:${v.kind}:${v.severity}`);

test('deny list: an OR with a clean alternative passes, AND with a denied part fails', () => {
  const v = evaluateLicenses(comps, { deny: ['GPL-3.0-only'], unknown: 'allow' });
  assert.equal(ids(v), ['both:denied:error', 'gpl-only:denied:error']);
});

test('allow list with an exception id; "+" ranges through spdx-satisfies; corrected spellings', () => {
  const v = evaluateLicenses(comps, {
    allow: ['MIT', 'Apache-2.0', 'GPL-3.0-only', 'GPL-2.0-only', 'Classpath-exception-2.0'],
    unknown: 'deny',
  });
  assert.equal(ids(v), ['@acme/internal:unknown:error', 'custom:unknown:error', 'none:unknown:error']);
  // without the exception id allowed, the WITH expression is not acceptable
  const w = evaluateLicenses([comps[9]!], { allow: ['GPL-2.0-only'] });
  assert.equal(ids(w), ['org.openjdk:nashorn:not-allowed:error']);
  // denying the exception denies the leaf
  assert.equal(ids(evaluateLicenses([comps[9]!], { deny: ['Classpath-exception-2.0'] })), ['org.openjdk:nashorn:denied:error']);
});

test('per-package exemptions by purl glob; unknown=warn reports a warning naming the raw declaration', () => {
  const v = evaluateLicenses(comps, {
    allow: ['MIT', 'Apache-2.0'],
    exceptions: [
      { purl: 'pkg:npm/%40acme/**', reason: 'our own code' },
      { purl: 'pkg:npm/gpl-*@*', reason: 'legal said ok', allow: ['GPL-3.0-only'] },
    ],
  });
  assert.equal(ids(v), [
    'org.openjdk:nashorn:not-allowed:error',
    'both:not-allowed:error',
    'custom:unknown:warning',
    'none:unknown:warning',
    'old-gpl:not-allowed:error',
  ]);
  assert.match(v.find((x) => x.name === 'custom')!.message, /SEE LICENSE IN LICENSE.txt/);
});

test('bad input never throws: spdx-satisfies sharp edges are wrapped', () => {
  const weird = [comp('ref', '1', ['LicenseRef-Proprietary']), comp('junk', '1', ['MIT OR ((']), comp('mixed', '1', ['mit or apache-2.0'])];
  const v = evaluateLicenses(weird, { allow: ['MIT', 'LicenseRef-Proprietary'], unknown: 'deny' });
  assert.equal(ids(v), ['junk:unknown:error']);
  assert.is(toText(parseExpression('mit or (apache-2.0 and bsd-3-clause)')!), 'MIT OR (Apache-2.0 AND BSD-3-Clause)');
  assert.is(parseExpression(''), undefined);
});

test('globs: * stops at /, ** crosses it', () => {
  assert.ok(globToRegExp('pkg:npm/%40acme/**').test('pkg:npm/%40acme/x@1.0.0'));
  assert.not.ok(globToRegExp('pkg:npm/*').test('pkg:npm/%40acme/x@1.0.0'));
  assert.ok(globToRegExp('pkg:maven/com.acme/*').test('pkg:maven/com.acme/lib@1.0'));
});

test('policy settings are validated with field names', () => {
  const { errors } = parsePolicy(
    { allow: 'MIT', unknown: 'maybe', exceptions: [{ purl: 'npm/x' }, { purl: 'pkg:npm/x' }], colour: 1 },
    'with',
  );
  assert.equal(errors, [
    'with.allow: must be a list of SPDX ids',
    'with.unknown: must be allow, warn or deny',
    'with.exceptions[0].purl: a purl pattern such as pkg:npm/@acme/**',
    'with.exceptions[1].reason: required',
    'with.colour: unknown setting',
  ]);
});

test.run();
