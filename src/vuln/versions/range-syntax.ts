// Range syntaxes several schemes share, over any comparator: Maven/NuGet interval notation and comparator lists.
import type { Cmp, RangeTest } from './types.ts';

type Compare = (a: string, b: string) => Cmp;

/**
 * `[1.0,2.0)`, `(,1.0]`, `[1.5]`, `[1,2),[3,4)`: unions of intervals; a bare version means exactly it, or at least it
 * when `bareMeansAtLeast` (NuGet).
 */
export function intervals(range: string, compare: Compare, bareMeansAtLeast: boolean): RangeTest {
  const r = range.replace(/\s+/g, '');
  if (!/^[[(]/.test(r)) {
    if (!r) throw new Error('empty range');
    return bareMeansAtLeast ? (v) => compare(v, r) >= 0 : (v) => compare(v, r) === 0;
  }
  const parts = r.match(/[[(][^\])]*[\])]/g);
  if (!parts || parts.join(',') !== r) throw new Error(`not an interval list: ${range}`);
  const tests = parts.map((p): RangeTest => {
    const lo = p[0] === '[';
    const hi = p[p.length - 1] === ']';
    const body = p.slice(1, -1);
    if (!body.includes(',')) {
      if (!lo || !hi || !body) throw new Error(`bad interval ${p}`);
      return (v) => compare(v, body) === 0;
    }
    const [a, b] = body.split(',');
    return (v) => (!a || (lo ? compare(v, a) >= 0 : compare(v, a) > 0)) && (!b || (hi ? compare(v, b) <= 0 : compare(v, b) < 0));
  });
  return (v) => tests.some((t) => t(v));
}

/** `>=1.0 <2.0 || =3.1` (commas also mean AND, `=` is the default operator); `expand` rewrites one atom into several. */
export function comparators(range: string, compare: Compare, expand: (atom: string) => string[] = (a) => [a]): RangeTest {
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
        const c = compare(v, ref);
        return op === '>=' ? c >= 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : op === '<' ? c < 0 : op === '!=' ? c !== 0 : c === 0;
      };
    });
  });
  return (v) => alternatives.some((all) => all.every((t) => t(v)));
}
