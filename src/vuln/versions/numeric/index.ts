// Dotted numeric versions as NVD records give them for C software (nginx, Apache httpd, OpenSSL, curl...): release
// numbers compared one by one with missing ones 0 (`18` = `18.0.0`, `3.11.9` < `3.11.10`), then the suffix:
// a pre-release (`rc1`, `a6`, `-dev`) before the release, letters (OpenSSL `1.1.1w`) after it, by length then
// letters (`z` < `za` < `zj`); a version with no number at its start (nginx plus `r27`) compares as a string.
import { preReleaseRank } from '../../../model/cpe.ts';
import { memoize } from '../memo.ts';
import { type Cmp, type VersionScheme, compareDigits, compareStrings } from '../types.ts';

/** 0 pre-release, 1 release, 2 post-release (letters, a Java-style `_391` update), 3 an unknown suffix */
type Kind = 0 | 1 | 2 | 3;

interface Parsed {
  readonly release: readonly string[];
  readonly kind: Kind;
  readonly key: readonly (string | number)[];
}

// "1.1.1w" -> release [1,1,1], kind 2, key [1, "w"]; "3.13.0rc1" -> [3,13,0], kind 0, key [3, 1]
const parse = memoize(function parseNumeric(input: string): Parsed {
  const s = input
    .trim()
    .replace(/^[vV](?=\d)/, '')
    .replace(/\+[0-9A-Za-z.-]*$/, '');
  const m = /^(\d+(?:\.\d+)*)(.*)$/.exec(s);
  if (!m) return { release: [], kind: 3, key: [s] };
  const release = m[1]!.split('.');
  const suffix = m[2]!;
  if (suffix === '') return { release, kind: 1, key: [] };
  const pre = /^[-._]?(dev|alpha|a|beta|b|c|rc|preview|pre)[-._]?(\d*)$/i.exec(suffix);
  if (pre) return { release, kind: 0, key: [preReleaseRank(pre[1]!)!, Number(pre[2] || 0)] };
  const update = /^_(\d+)$/.exec(suffix);
  if (update) return { release, kind: 2, key: [0, Number(update[1])] };
  if (/^[a-z]+$/.test(suffix)) return { release, kind: 2, key: [suffix.length, suffix] };
  return { release, kind: 3, key: [suffix] };
});

function compareKeys(a: readonly (string | number)[], b: readonly (string | number)[]): Cmp {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return compareStrings(x, y);
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

export function compareNumeric(a: string, b: string): Cmp {
  const x = parse(a);
  const y = parse(b);
  if (!x.release.length || !y.release.length) return compareStrings(a.trim(), b.trim());
  const n = Math.max(x.release.length, y.release.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(x.release[i] ?? '0', y.release[i] ?? '0');
    if (c) return c;
  }
  if (x.kind !== y.kind) return x.kind < y.kind ? -1 : 1;
  return compareKeys(x.key, y.key);
}

// anything but blank: nginx plus releases (`r27`) are versions too, compared as strings
export const numeric: VersionScheme = { id: 'numeric', compare: compareNumeric, valid: (v) => /\S/.test(v) };
