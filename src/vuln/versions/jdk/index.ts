// Java SE versions (JEP 322 `$FEATURE.$INTERIM.$UPDATE.$PATCH[-PRE][+BUILD][-OPT]`, e.g. OpenJDK `17.0.13+11`) and the
// JEP 223 forms before them (`1.8.0_391`, `8u391`, `1.8.0_391-b13`), which name the same release line: 1.8.0_391 = 8u391,
// ordered as 8.0.391. The build (`+11`, `-b13`) is not compared: NVD and the JDK `release` file name releases, not builds.
import { memoize } from '../memo.ts';
import { compareNumeric } from '../numeric/index.ts';
import { type Cmp, type VersionScheme, compareDigits, compareStrings } from '../types.ts';

interface Parsed {
  readonly nums: readonly string[];
  /** `ea`, `beta`…: before the release */
  readonly pre?: string;
}

// "1.8.0_391-b13" -> [8,0,391]; "8u391" -> [8,0,391]; "17.0.13+11" -> [17,0,13]; "21-ea+5" -> [21] pre "ea"
const parse = memoize(function parseJdk(input: string): Parsed | undefined {
  const s = input.trim().replace(/^(jdk-?|v)/i, '');
  let m = /^1\.(\d+)\.0(?:_(\d+))?(?:-b\d+)?$/.exec(s);
  if (m) return { nums: [m[1]!, '0', m[2] ?? '0'] };
  m = /^(\d+)u(\d+)(?:-b\d+)?$/.exec(s);
  if (m) return { nums: [m[1]!, '0', m[2]!] };
  m = /^(\d+(?:\.\d+)*)(?:-([0-9A-Za-z]+))?(?:\+\d+)?(?:-[0-9A-Za-z.-]+)?$/.exec(s);
  if (m) return { nums: m[1]!.split('.'), ...(m[2] ? { pre: m[2] } : {}) };
  return undefined;
});

export function compareJdk(a: string, b: string): Cmp {
  const x = parse(a);
  const y = parse(b);
  // a form neither JEP names: the dotted-numeric order
  if (!x || !y) return compareNumeric(a, b);
  const n = Math.max(x.nums.length, y.nums.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(x.nums[i] ?? '0', y.nums[i] ?? '0');
    if (c) return c;
  }
  if (x.pre === undefined || y.pre === undefined) return x.pre === y.pre ? 0 : x.pre === undefined ? 1 : -1;
  return compareStrings(x.pre, y.pre);
}

export const jdk: VersionScheme = { id: 'jdk', compare: compareJdk, valid: (v) => /^\s*(jdk-?|v)?\d/i.test(v) };
