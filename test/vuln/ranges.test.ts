// Query ranges in each ecosystem's own syntax.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rangeTest } from '../../src/vuln/versions/ranges.ts';

const cases: Array<[string, string, Record<string, boolean>]> = [
  ['npm', '<5.0.0', { '4.9.9': true, '5.0.0': false, '5.0.0-rc.1': true, '3.0.0': true }],
  ['npm', '>=1.2.3 <2 || ^3.1.0', { '1.2.3': true, '1.9.0': true, '2.0.0': false, '3.2.0': true, '4.0.0': false }],
  ['golang', '<0.7.0', { 'v0.0.0-20220105145211-5b0dc2dfae98': true, 'v0.7.0': false, 'v0.6.9': true }],
  ['pypi', '>=1.9,<2.0', { '1.9.6': true, '2.0': false, '1.8.19': false, '1.9.post1': true }],
  ['pypi', '~=19.4', { '19.4.5': true, '20.0': false }],
  ['gem', '< 1.13.4', { '1.10.10': true, '1.13.4': false }],
  ['gem', '~> 2.2.0', { '2.2.3': true, '2.3.0': false }],
  ['maven', '[2.13.0,2.13.4.1)', { '2.13.3': true, '2.13.4': true, '2.13.4.1': false, '2.12.9': false }],
  ['maven', '(,1.0],[1.2,)', { '0.9': true, '1.0': true, '1.1': false, '1.2': true }],
  ['maven', '[1.5]', { '1.5': true, '1.5.0': true, '1.5.1': false }],
  ['nuget', '[5.0.0,5.1.3)', { '5.0.1': true, '5.1.3': false }],
  ['nuget', '13.0.1', { '13.0.1': true, '13.0.2': true, '13.0.0': false }],
  ['composer', '^4.1', { 'v4.1.0': true, 'v4.4.9': true, 'v5.0.0': false }],
  ['composer', '>=2.0 <2.15.3 || ~3.1.0', { 'v2.4.8': true, '2.15.3': false, '3.1.5': true, '3.2.0': false }],
];

test('ranges per ecosystem', () => {
  for (const [eco, range, want] of cases) {
    const t = rangeTest(eco, range);
    for (const [v, expected] of Object.entries(want)) assert.is(t(v), expected, `${eco} ${v} in ${range}`);
  }
});

test('invalid ranges throw a message naming the syntax', () => {
  assert.throws(() => rangeTest('npm', 'not a range'), /npm semver range/);
  assert.throws(() => rangeTest('pypi', '>>1'), /PEP 440/);
  assert.throws(() => rangeTest('maven', '[1.0,2.0'), /interval/);
  assert.throws(() => rangeTest('gem', 'bogus'), /RubyGems/);
});

test.run();
