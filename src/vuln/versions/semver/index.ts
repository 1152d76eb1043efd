// SemVer 2.0.0 precedence (https://semver.org §11), lenient as OSV needs it for npm, crates.io, Go, Hex and Pub.
// Lenient: a leading `v` is dropped, missing minor/patch count as 0, numbers of any size compare
// numerically, and numeric parts after the third belong to the build ("1.1.3.4.5" has build ".4.5").
import { memoize } from '../memo.ts';
import { type Cmp, type VersionScheme, compareDigits, compareStrings, isDigits } from '../types.ts';

interface Parsed {
  readonly core: readonly string[];
  readonly pre: readonly string[];
}

// "v1.2.3-rc.1+b5" -> core [1,2,3], pre [rc, 1]
const parse = memoize(function parseSemver(input: string): Parsed {
  let s = input.trim().replace(/^[vV]/, '');
  const core: string[] = [];
  while (core.length < 3) {
    const m = /^[0-9]+/.exec(s);
    if (!m) break;
    core.push(m[0]);
    s = s.slice(m[0].length);
    if (core.length < 3 && /^\.[0-9]/.test(s)) s = s.slice(1);
    else break;
  }
  while (core.length < 3) core.push('0');
  // what follows the core: `-pre[+build]`, `+build`, or extra numeric parts (build)
  let pre: string[] = [];
  if (s.startsWith('-')) {
    const body = s.slice(1);
    const plus = body.indexOf('+');
    pre = (plus >= 0 ? body.slice(0, plus) : body).split('.');
  } else if (s !== '' && !s.startsWith('+') && !s.startsWith('.')) {
    // "1.2.3rc1" style: treat the rest as a pre-release (never equal to the release)
    pre = s.split('+')[0]!.split('.');
  }
  return { core, pre };
});

function compareIdent(a: string, b: string): Cmp {
  const an = isDigits(a);
  const bn = isDigits(b);
  if (an && bn) return compareDigits(a, b);
  if (an) return -1; // numeric identifiers sort before alphanumeric ones
  if (bn) return 1;
  return compareStrings(a, b); // ASCII order: "R2" < "r100" < "r2"
}

export function compareSemver(a: string, b: string): Cmp {
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const c = compareDigits(x.core[i]!, y.core[i]!);
    if (c) return c;
  }
  if (!x.pre.length || !y.pre.length) {
    return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  }
  const n = Math.min(x.pre.length, y.pre.length);
  for (let i = 0; i < n; i++) {
    const c = compareIdent(x.pre[i]!, y.pre[i]!);
    if (c) return c;
  }
  return x.pre.length === y.pre.length ? 0 : x.pre.length < y.pre.length ? -1 : 1;
}

// a number first (after an optional `v`): "1", "v1.2.3-rc.1", "0.0.0-20220906165146-abc"; not "banana", "latest"
export const validSemver = (v: string): boolean => /^\s*[vV]?[0-9]/.test(v);

export const semver: VersionScheme = { id: 'semver', compare: compareSemver, valid: validSemver };
