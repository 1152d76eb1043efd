// Composer version constraints (https://getcomposer.org/doc/articles/versions.md): `^4.1`, `~3.1.0`, `2.*`,
// `>=2.0 <2.15.3 || ~3.1.0`, as comparator lists over Packagist's order.
import { comparators } from '../range-syntax.ts';
import type { RangeSyntax } from '../types.ts';
import { comparePackagist } from './index.ts';

// `^1.2.3` -> >=1.2.3 <2.0.0 ; `^0.3` -> >=0.3 <0.4 ; `~1.2` -> >=1.2 <2.0 ; `~1.2.3` -> >=1.2.3 <1.3 ; `1.2.*` -> >=1.2 <1.3
function composerAtom(atom: string): string[] {
  const a = atom.replace(/^v/i, '');
  const nums = (s: string) =>
    s
      .replace(/^[v^~]/i, '')
      .split(/[.-]/)
      .filter((x) => /^\d+$/.test(x))
      .map(Number);
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

export const packagistRange: RangeSyntax = (range) => comparators(range, comparePackagist, composerAtom);
