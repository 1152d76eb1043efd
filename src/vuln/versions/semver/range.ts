// npm semver ranges (node-semver), as npm, Cargo, Go, Hex and Pub tooling write them: `>=1.2.3 <2 || ^3.1.0`.
import nodeSemver from 'semver';
import { comparators } from '../range-syntax.ts';
import type { RangeSyntax } from '../types.ts';
import { compareSemver } from './index.ts';

/** A version node-semver cannot parse (a Go pseudo-version...) is placed with the lenient order of index.ts against the range's bounds. */
export const semverRange: RangeSyntax = (range) => {
  const r = nodeSemver.validRange(range, { loose: true });
  if (r === null) throw new Error(`not an npm semver range: ${range}`);
  return (v) => {
    const c = nodeSemver.coerce(v) && nodeSemver.valid(v, { loose: true }) ? v : null;
    return c ? nodeSemver.satisfies(c, r, { loose: true, includePrerelease: true }) : comparators(r, compareSemver)(v);
  };
};
