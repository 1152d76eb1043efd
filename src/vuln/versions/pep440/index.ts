// PyPI order: PEP 440 (https://peps.python.org/pep-0440/) via @renovatebot/pep440; versions PEP 440 cannot parse
// use setuptools' LegacyVersion key and sort before every valid version, as pip < 22 did.
import pep440 from '@renovatebot/pep440';
import { memoize } from '../memo.ts';
import { type Cmp, type VersionScheme, sign } from '../types.ts';

// setuptools LegacyVersion: "0.9-doduo" -> ["00000000","*final-"...]: numbers zero-padded, words starred
const REPLACE: Record<string, string> = { pre: 'c', preview: 'c', '-': 'final-', rc: 'c', dev: '@' };
const legacyKey = memoize(function legacyKeyOf(v: string): readonly string[] {
  const parts: string[] = [];
  const raw = v.toLowerCase().split(/(\d+|[a-z]+|\.|-)/);
  const yielded: string[] = [];
  for (let part of raw) {
    part = REPLACE[part] ?? part;
    if (!part || part === '.') continue;
    yielded.push(/^[0-9]/.test(part) ? part.padStart(8, '0') : `*${part}`);
  }
  yielded.push('*final');
  for (const part of yielded) {
    if (part.startsWith('*')) {
      if (part < '*final') while (parts.length && parts[parts.length - 1] === '*final-') parts.pop();
      while (parts.length && parts[parts.length - 1] === '00000000') parts.pop();
    }
    parts.push(part);
  }
  return parts;
});

const isValid = memoize((v: string): boolean => pep440.valid(v) !== null);

function compareKeys(a: readonly string[], b: readonly string[]): Cmp {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return sign(a.length - b.length);
}

export function comparePep440(a: string, b: string): Cmp {
  const av = isValid(a.trim());
  const bv = isValid(b.trim());
  if (av && bv) return sign(pep440.compare(a.trim(), b.trim()));
  if (av !== bv) return av ? 1 : -1;
  return compareKeys(legacyKey(a.trim()), legacyKey(b.trim()));
}

// PEP 440, or a legacy version pip < 22 accepted that starts with a number ("0.9-doduo"); not "banana"
export const validPep440 = (v: string): boolean => /^\s*[0-9]/.test(v) || isValid(v.trim());

export const pypi: VersionScheme = { id: 'pep440', compare: comparePep440, valid: validPep440 };
