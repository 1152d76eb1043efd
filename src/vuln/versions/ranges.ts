// Version ranges in each ecosystem's own syntax: the scheme the ECOSYSTEMS table names reads them with its own
// `<scheme>/range.ts`; an ecosystem without a scheme reads comparator lists (`>=1.2 <2, || =3`) compared as SemVer.
import { rowForName, type SchemeId } from '../../model/ecosystem.ts';
import { debianRange } from './debian/range.ts';
import { jdkRange } from './jdk/range.ts';
import { mavenRange } from './maven/range.ts';
import { nugetRange } from './nuget/range.ts';
import { numericRange } from './numeric/range.ts';
import { packagistRange } from './packagist/range.ts';
import { pep440Range } from './pep440/range.ts';
import { comparators } from './range-syntax.ts';
import { rubygemsRange } from './rubygems/range.ts';
import { compareSemver } from './semver/index.ts';
import { semverRange } from './semver/range.ts';
import type { RangeSyntax, RangeTest } from './types.ts';

export type { RangeSyntax, RangeTest } from './types.ts';

/** Every scheme's range syntax, by the id the table uses. */
export const RANGES: Readonly<Record<SchemeId, RangeSyntax>> = {
  semver: semverRange,
  pep440: pep440Range,
  rubygems: rubygemsRange,
  maven: mavenRange,
  nuget: nugetRange,
  packagist: packagistRange,
  debian: debianRange,
  numeric: numericRange,
  jdk: jdkRange,
};

/**
 * A test for `range` in the ecosystem's syntax (purl type or OSV ecosystem name); throws an Error saying why
 * when the range is not valid in that syntax.
 */
export function rangeTest(ecosystem: string, range: string): RangeTest {
  const id = rowForName(ecosystem)?.scheme;
  return id ? RANGES[id](range) : comparators(range, compareSemver);
}
