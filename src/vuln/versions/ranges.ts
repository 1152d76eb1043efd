// Version ranges in each ecosystem's own syntax: npm semver ranges, PEP 440 specifiers, RubyGems requirements,
// Maven/NuGet interval notation, Composer constraints; anything else as comparator lists (`>=1.2 <2, || =3`).
import nodeSemver from 'semver';
import pep440 from '@renovatebot/pep440';
import { satisfies as rubySatisfies } from '@renovatebot/ruby-semver';
import { schemeFor } from './index.ts';
import { semver } from './semver.ts';
import type { VersionScheme } from './types.ts';

export type RangeTest = (version: string) => boolean;

// `[1.0,2.0)`, `(,1.0]`, `[1.5]`, `[1,2),[3,4)`: unions of intervals compared with `scheme`
function intervals(range: string, scheme: VersionScheme, bareMeansAtLeast: boolean): RangeTest {
  const r = range.replace(/\s+/g, '');
  if (!/^[[(]/.test(r)) {
    if (!r) throw new Error('empty range');
    return bareMeansAtLeast ? (v) => scheme.compare(v, r) >= 0 : (v) => scheme.compare(v, r) === 0;
  }
  const parts = r.match(/[[(][^\])]*[\])]/g);
  if (!parts || parts.join(',') !== r) throw new Error(`not an interval list: ${range}`);
  const tests = parts.map((p): RangeTest => {
    const lo = p[0] === '[';
    const hi = p[p.length - 1] === ']';
    const body = p.slice(1, -1);
    if (!body.includes(',')) {
      if (!lo || !hi || !body) throw new Error(`bad interval ${p}`);
      return (v) => scheme.compare(v, body) === 0;
    }
    const [a, b] = body.split(',');
    return (v) =>
      (!a || (lo ? scheme.compare(v, a) >= 0 : scheme.compare(v, a) > 0)) && (!b || (hi ? scheme.compare(v, b) <= 0 : scheme.compare(v, b) < 0));
  });
  return (v) => tests.some((t) => t(v));
}

// `^1.2.3` -> >=1.2.3 <2.0.0 ; `^0.3` -> >=0.3 <0.4 ; `~1.2` -> >=1.2 <2.0 ; `~1.2.3` -> >=1.2.3 <1.3 ; `1.2.*` -> >=1.2 <1.3
function composerAtom(atom: string): string[] {
  const a = atom.replace(/^v/i, '');
  const nums = (s: string) => s.replace(/^[v^~]/i, '').split(/[.-]/).filter((x) => /^\d+$/.test(x)).map(Number);
  if (a.startsWith('^')) {
    const n = nums(a);
    const i = n.findIndex((x) => x !== 0);
    const idx = i < 0 ? n.length - 1 : i;
    const upper = n.slice(0, idx + 1).map((x, j) => (j === idx ? x + 1 : x));
    return [`>=${a.slice(1)}`, `<${upper.join('.')}`];
  }
  if (a.startsWith('~')) {
    const n = nums(a);
    const keep = Math.max(1, n.length - 1);
    const upper = n.slice(0, keep).map((x, j) => (j === keep - 1 ? x + 1 : x));
    return [`>=${a.slice(1)}`, `<${upper.join('.')}`];
  }
  if (/\.\*$/.test(a)) {
    const n = nums(a.slice(0, -2));
    return [`>=${n.join('.')}`, `<${[...n.slice(0, -1), n[n.length - 1]! + 1].join('.')}`];
  }
  return [a];
}

// `>=1.0 <2.0 || =3.1` (also commas for AND) with any comparator
function comparators(range: string, scheme: VersionScheme, expand: (atom: string) => string[] = (a) => [a]): RangeTest {
  const alternatives = range.split(/\s*\|\|?\s*/).map((alt) => {
    const atoms = alt
      .trim()
      .replace(/(>=|<=|!=|==|>|<|=)\s+/g, '$1')
      .split(/[\s,]+/)
      .filter(Boolean)
      .flatMap(expand);
    if (!atoms.length) throw new Error(`empty range: ${JSON.stringify(range)}`);
    return atoms.map((atom): RangeTest => {
      const m = /^(>=|<=|!=|==|>|<|=)?(.+)$/.exec(atom)!;
      const op = m[1] ?? '=';
      const ref = m[2]!;
      return (v) => {
        const c = scheme.compare(v, ref);
        return op === '>=' ? c >= 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '<' ? c < 0 : op === '!=' ? c !== 0 : c === 0;
      };
    });
  });
  return (v) => alternatives.some((all) => all.every((t) => t(v)));
}

/**
 * A test for `range` in the ecosystem's syntax (purl type or OSV ecosystem name); throws an Error saying why
 * when the range is not valid in that syntax.
 */
export function rangeTest(ecosystem: string, range: string): RangeTest {
  const eco = ecosystem.split(':')[0]!.toLowerCase();
  const scheme = schemeFor(eco) ?? semver;
  switch (eco) {
    case 'npm':
    case 'cargo':
    case 'crates.io':
    case 'golang':
    case 'go': {
      const r = nodeSemver.validRange(range, { loose: true });
      if (r === null) throw new Error(`not an npm semver range: ${range}`);
      return (v) => {
        const c = nodeSemver.coerce(v) && nodeSemver.valid(v, { loose: true }) ? v : null;
        // pseudo-versions and other non-semver strings: compare with our lenient comparator against the range's bounds
        return c ? nodeSemver.satisfies(c, r, { loose: true, includePrerelease: true }) : comparators(r, scheme)(v);
      };
    }
    case 'pypi': {
      if (pep440.validRange(range) === false || pep440.validRange(range) === null) throw new Error(`not a PEP 440 specifier: ${range}`);
      return (v) => {
        try {
          return pep440.satisfies(v, range);
        } catch {
          return false;
        }
      };
    }
    case 'gem':
    case 'rubygems': {
      if (!/^\s*(?:(?:[<>=!~]=?|~>)?\s*[0-9][0-9A-Za-z.-]*\s*,?\s*)+$/.test(range)) throw new Error(`not a RubyGems requirement: ${range}`);
      return (v) => {
        try {
          return rubySatisfies(v, range);
        } catch {
          return false;
        }
      };
    }
    case 'maven':
      return intervals(range, scheme, false);
    case 'nuget':
      return intervals(range, scheme, true);
    case 'composer':
    case 'packagist':
      return comparators(range, scheme, composerAtom);
    default:
      return comparators(range, scheme);
  }
}
