// NuGet version precedence (https://learn.microsoft.com/nuget/concepts/package-versioning): SemVer 2 with an
// optional fourth number, case-insensitive pre-release labels, build metadata ignored.
import { memoize } from '../memo.ts';
import { type Cmp, type VersionScheme, compareDigits, compareStrings, isDigits } from '../types.ts';

const parse = memoize(function parseNuget(input: string): { readonly nums: readonly string[]; readonly pre: readonly string[] } {
  const s = input.trim().replace(/^[vV]/, '').split('+')[0]!;
  const dash = s.indexOf('-');
  const core = dash >= 0 ? s.slice(0, dash) : s;
  const pre =
    dash >= 0
      ? s
          .slice(dash + 1)
          .toLowerCase()
          .split('.')
      : [];
  const nums = core.split('.').map((p) => (isDigits(p) ? p : '0'));
  while (nums.length < 4) nums.push('0');
  return { nums, pre };
});

export function compareNuget(a: string, b: string): Cmp {
  const x = parse(a);
  const y = parse(b);
  const len = Math.max(x.nums.length, y.nums.length);
  for (let i = 0; i < len; i++) {
    const c = compareDigits(x.nums[i] ?? '0', y.nums[i] ?? '0');
    if (c) return c;
  }
  if (!x.pre.length || !y.pre.length) return x.pre.length === y.pre.length ? 0 : x.pre.length ? -1 : 1;
  const n = Math.min(x.pre.length, y.pre.length);
  for (let i = 0; i < n; i++) {
    const p = x.pre[i]!;
    const q = y.pre[i]!;
    const pn = isDigits(p);
    const qn = isDigits(q);
    const c = pn && qn ? compareDigits(p, q) : pn ? -1 : qn ? 1 : compareStrings(p, q);
    if (c) return c;
  }
  return x.pre.length === y.pre.length ? 0 : x.pre.length < y.pre.length ? -1 : 1;
}

// "1.2.3.4-beta.1+meta", "v1.0"; not "banana"
export const nuget: VersionScheme = { id: 'nuget', compare: compareNuget, valid: (v) => /^\s*[vV]?[0-9]+(\.[0-9]+)*([-+]|\s*$)/.test(v) };
