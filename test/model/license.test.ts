import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { normaliseLicense, normaliseLicenses } from '../../src/model/license.ts';

test('valid SPDX expressions are kept; lower-case operators are upper-cased', () => {
  assert.equal(normaliseLicense('MIT'), { raw: 'MIT', spdx: 'MIT' });
  assert.equal(normaliseLicense('(MIT OR Apache-2.0)'), { raw: '(MIT OR Apache-2.0)', spdx: '(MIT OR Apache-2.0)' });
  assert.equal(normaliseLicense('MIT or Apache-2.0'), { raw: 'MIT or Apache-2.0', spdx: 'MIT OR Apache-2.0' });
  assert.equal(normaliseLicense('GPL-2.0-only WITH Classpath-exception-2.0').spdx, 'GPL-2.0-only WITH Classpath-exception-2.0');
});

test('single ids are corrected with spdx-correct', () => {
  assert.is(normaliseLicense('Apache 2').spdx, 'Apache-2.0');
  assert.is(normaliseLicense('mit').spdx, 'MIT');
  assert.is(normaliseLicense('gpl-2.0+').spdx, 'GPL-2.0-or-later');
});

test('compound declarations are corrected id by id, never collapsed to one id', () => {
  assert.is(normaliseLicense('mit or apache-2.0').spdx, 'MIT OR Apache-2.0');
  assert.is(normaliseLicense('(mit AND bsd-3-clause) or apache 2').spdx, '(MIT AND BSD-3-Clause) OR Apache-2.0');
  assert.equal(normaliseLicense('MIT or some custom thing'), { raw: 'MIT or some custom thing' });
});

test("npm's UNLICENSED and SEE LICENSE IN are proprietary: no SPDX id (never Unlicense)", () => {
  assert.equal(normaliseLicense('UNLICENSED'), { raw: 'UNLICENSED' });
  assert.equal(normaliseLicense('SEE LICENSE IN LICENSE.txt'), { raw: 'SEE LICENSE IN LICENSE.txt' });
  assert.is(normaliseLicense('Unlicense').spdx, 'Unlicense');
});

test('normaliseLicenses drops empty and repeated declarations, keeps order', () => {
  assert.equal(
    normaliseLicenses(['MIT', '', null, 'MIT', 'ISC']).map((l) => l.spdx),
    ['MIT', 'ISC'],
  );
});

test('a declaration seen again gives the same result, in an object of its own (a caller may change it)', () => {
  const first = normaliseLicense(' Apache 2 ');
  first.spdx = 'changed';
  assert.equal(normaliseLicense(' Apache 2 '), { raw: 'Apache 2', spdx: 'Apache-2.0' });
  assert.is.not(normaliseLicense('MIT'), normaliseLicense('MIT'));
  // more distinct declarations than are remembered still each get their own result
  for (let i = 0; i < 5000; i++) assert.is(normaliseLicense(`Custom ${i}`).raw, `Custom ${i}`);
  assert.equal(normaliseLicense('mit'), { raw: 'mit', spdx: 'MIT' });
});

test.run();
