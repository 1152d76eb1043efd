// RubyGems order: Gem::Version#<=> (rubygems/version.rb), with numbers of any size (ruby-semver uses JS numbers,
// which lose digits past 2^53, so the comparison itself is done here; requirements use @renovatebot/ruby-semver).
import { memoize } from '../memo.ts';
import { type Cmp, type VersionScheme, compareDigits, compareStrings, isDigits } from '../types.ts';

// "1.2.4.beta-1" -> ["1","2","4","beta","pre","1"] -> trailing zeros dropped from the numeric and the string part
const canonical = memoize(function canonicalRubygems(v: string): readonly string[] {
  const segs =
    v
      .trim()
      .replace(/-/g, '.pre.')
      .match(/[0-9]+|[a-z]+/gi) ?? [];
  const first = segs.findIndex((s) => !isDigits(s));
  const parts = first < 0 ? [segs] : [segs.slice(0, first), segs.slice(first)];
  return parts.flatMap((p) => {
    const out = [...p];
    while (out.length && isDigits(out[out.length - 1]!) && /^0+$/.test(out[out.length - 1]!)) out.pop();
    return out;
  });
});

export function compareRubygems(a: string, b: string): Cmp {
  const x = canonical(a);
  const y = canonical(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const l = x[i] ?? '0';
    const r = y[i] ?? '0';
    const ln = isDigits(l);
    const rn = isDigits(r);
    if (ln && rn) {
      const c = compareDigits(l, r);
      if (c) return c;
      continue;
    }
    if (l === r) continue;
    if (!ln && rn) return -1; // a pre-release word sorts before any number
    if (ln && !rn) return 1;
    return compareStrings(l, r);
  }
  return 0;
}

// a number first, as Gem::Version requires ("1.10.10-java", "2.2.3.1", "1.0.0.beta1", "1beta"); not "banana"
export const rubygems: VersionScheme = { id: 'rubygems', compare: compareRubygems, valid: (v) => /^\s*[0-9]/.test(v) };
