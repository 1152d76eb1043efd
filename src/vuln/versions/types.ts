// The version-scheme contract: one folder per scheme, its order in `<scheme>/index.ts` and its range syntax in
// `<scheme>/range.ts` (renovate's versioning/<scheme>/); which ecosystem uses which scheme is src/model/ecosystem.ts.
// Orders are by id in index.ts, range syntaxes in ranges.ts, so that matching never loads a range parser.
import type { SchemeId } from '../../model/ecosystem.ts';

/** -1 when a < b, 0 when equal, 1 when a > b. Never throws: unparseable input falls back to a documented order. */
export type Cmp = -1 | 0 | 1;

/** Whether a version is in a range. */
export type RangeTest = (version: string) => boolean;

export interface VersionScheme {
  /** scheme id, e.g. `semver`, `pep440` */
  id: SchemeId;
  compare(a: string, b: string): Cmp;
  /**
   * false for a string that is no version of this scheme at all (`banana`): compare() would still order it, but a
   * range must not be evaluated with it. Lenient: every form compare() documents as understood is valid.
   */
  valid(v: string): boolean;
}

/** A scheme's range syntax: a test for `range`; throws an Error saying why when `range` is not valid in it. */
export type RangeSyntax = (range: string) => RangeTest;

export function sign(n: number): Cmp {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/** Compares two strings of ASCII digits of any length numerically ("0010" == "10"). */
export function compareDigits(a: string, b: string): Cmp {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareStrings(a: string, b: string): Cmp {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const isDigits = (s: string): boolean => /^[0-9]+$/.test(s);
