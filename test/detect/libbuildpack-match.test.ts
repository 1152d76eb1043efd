import { test } from 'uvu';
import * as assert from 'uvu/assert';
import semver from 'semver';
import { findMatchingVersion, findMatchingVersions } from '../../src/detect/libbuildpack-match.ts';

// [constraint, available versions, what libbuildpack picks, what npm's semver.maxSatisfying picks]
const VECTORS: Array<[string, string[], string | undefined, string | null]> = [
  // blang ranges admit prereleases; npm does not.
  ['>=1.0.0', ['1.0.0', '2.0.0-rc.1'], '2.0.0-rc.1', '1.0.0'],
  ['1.x', ['1.5.0', '1.6.0-rc.1', '2.0.0'], '1.6.0-rc.1', '1.5.0'],
  // Masterminds v1.5 caret pins only the major version, even below 1.0.0.
  ['^0.2.3', ['0.2.3', '0.2.9', '0.9.0', '1.0.0'], '0.9.0', '0.2.9'],
  // partial versions: blang cannot parse them, Masterminds treats them as wildcards.
  ['1.2', ['1.2.0', '1.2.5', '1.3.0'], '1.2.5', '1.2.5'],
  ['>=18 <21', ['18.19.1', '20.11.1', '21.0.0', '22.1.0'], '20.11.1', '20.11.1'],
  ['>11', ['11.5.0', '12.0.0'], '12.0.0', '12.0.0'],
  // Masterminds excludes prereleases unless the constraint names one.
  ['>=1.0', ['1.0.0', '2.0.0-rc.1'], '1.0.0', '1.0.0'],
  ['~> 2.1', ['2.1.0', '2.1.9', '2.2.0'], '2.1.9', '2.1.9'],
  ['~1.2.3', ['1.2.3', '1.2.8', '1.3.0'], '1.2.8', '1.2.8'],
  ['^1.2.3', ['1.2.3', '1.9.0', '2.0.0-alpha', '2.0.0'], '1.9.0', '1.9.0'],
  ['1.2 - 1.4.5', ['1.1.9', '1.2.0', '1.4.5', '1.4.6'], '1.4.5', '1.4.5'],
  ['5.x || 6.x', ['5.1.0', '6.2.0', '7.0.0'], '6.2.0', '6.2.0'],
  ['>= 1.2.3', ['1.2.2', '1.2.3', '1.3.0'], '1.3.0', '1.3.0'],
  ['1.2.x', ['1.2.0', '1.2.7', '1.3.0'], '1.2.7', '1.2.7'],
  ['!=1.2.7 >=1.2.0', ['1.2.0', '1.2.7'], '1.2.0', null],
  ['=1.2.3', ['1.2.3', '1.2.4'], '1.2.3', '1.2.3'],
  ['*', ['1.0.0', '3.0.0-beta.1', '2.5.0'], '2.5.0', '2.5.0'],
  // one version blang cannot parse sends the whole match to Masterminds (which then skips prereleases).
  ['>=1.0.0', ['1.2', '1.3.0', '1.4.0-rc.1'], '1.3.0', null],
  // a blang range with no match also falls back, and a Masterminds miss is no match.
  ['>=3.0.0', ['2.0.0', '2.9.9'], undefined, null],
  ['20.x', ['18.20.4', '20.11.1', '20.18.0', '22.11.0'], '20.18.0', '20.18.0'],
  ['lts', ['20.11.1'], undefined, null],
];

test('findMatchingVersion reproduces libbuildpack on the vector table', () => {
  for (const [constraint, versions, expected] of VECTORS) {
    assert.is(findMatchingVersion(constraint, versions), expected, `${constraint} in ${versions.join(',')}`);
  }
});

test('the table holds vectors where libbuildpack and npm semver disagree, and npm really answers as recorded', () => {
  let differ = 0;
  for (const [constraint, versions, expected, npm] of VECTORS) {
    let npmAnswer: string | null = null;
    try {
      npmAnswer = semver.maxSatisfying(
        versions.filter((v) => semver.valid(v)),
        constraint,
      );
    } catch {
      npmAnswer = null;
    }
    if (npm !== null) assert.is(npmAnswer, npm, `npm semver on ${constraint}`);
    if (npm !== null && npm !== expected) differ++;
  }
  assert.ok(differ >= 3, `expected at least 3 vectors where npm differs, got ${differ}`);
});

test('findMatchingVersions returns every match, lowest first, with the original spelling', () => {
  assert.equal(findMatchingVersions('^1.0', ['v1.2.0', '1.0.1', '2.0.0']), ['1.0.1', 'v1.2.0']);
  assert.is(findMatchingVersions('>=9.0.0', ['1.0.0']), undefined);
});

test('malformed constraints match nothing instead of throwing', () => {
  for (const bad of ['||', '>=1.0.0 ||', 'banana', '>>1.0.0', '']) {
    assert.not.throws(() => findMatchingVersion(bad, ['1.0.0']));
  }
  assert.is(findMatchingVersion('banana', ['1.0.0']), undefined);
});

test.run();
