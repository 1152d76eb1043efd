// Packagist (Composer) order: PHP version_compare() after Composer's normalisation (a leading `v` dropped).
import { memoize } from '../memo.ts';
import { type Cmp, type VersionScheme, compareDigits, isDigits } from '../types.ts';

// "v1.0.0-RC1" -> ["1","0","0","RC","1"]: separators become dots, digit/letter borders get one
const canonical = memoize(function canonicalPackagist(v: string): readonly string[] {
  return v
    .trim()
    .replace(/^[vV]/, '')
    .replace(/[-_+]/g, '.')
    .replace(/([^\d.])(\d)/g, '$1.$2')
    .replace(/(\d)([^\d.])/g, '$1.$2')
    .split('.');
});

// version_compare's special forms: dev < alpha = a < beta = b < RC = rc < # (a number) < pl = p
function weigh(s: string): number {
  if (s.startsWith('RC')) return 3;
  const specials = ['dev', 'a', 'b', 'rc', '#', 'p'];
  for (let i = 0; i < specials.length; i++) if (s.startsWith(specials[i]!)) return i;
  return 0;
}

const weighCmp = (a: string, b: string): Cmp => {
  const d = weigh(a) - weigh(b);
  return d < 0 ? -1 : d > 0 ? 1 : 0;
};

function compareParts(a: readonly string[], b: readonly string[]): Cmp {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const an = isDigits(a[i]!);
    const bn = isDigits(b[i]!);
    const c = an && bn ? compareDigits(a[i]!, b[i]!) : an ? weighCmp('#', b[i]!) : bn ? weighCmp(a[i]!, '#') : weighCmp(a[i]!, b[i]!);
    if (c) return c;
  }
  if (a.length > b.length) return isDigits(a[b.length]!) ? 1 : compareParts(a.slice(b.length), ['#']);
  if (a.length < b.length) return isDigits(b[a.length]!) ? -1 : compareParts(['#'], b.slice(a.length));
  return 0;
}

export function comparePackagist(a: string, b: string): Cmp {
  return compareParts(canonical(a), canonical(b));
}

// "v4.1.0", "1.0.0-RC1"; not "banana" and not a branch ("dev-main"), which no range can place
export const packagist: VersionScheme = { id: 'packagist', compare: comparePackagist, valid: (v) => /^\s*[vV]?[0-9]/.test(v) };
