// Debian version order as dpkg --compare-versions defines it (Debian Policy §5.6.12): [epoch:]upstream[-revision].
import { type Cmp, type VersionScheme, compareDigits } from '../types.ts';

function split(v: string): [string, string, string] {
  let s = v.trim();
  let epoch = '0';
  const colon = s.indexOf(':');
  if (colon >= 0 && /^[0-9]+$/.test(s.slice(0, colon))) {
    epoch = s.slice(0, colon);
    s = s.slice(colon + 1);
  }
  const dash = s.lastIndexOf('-');
  return dash >= 0 ? [epoch, s.slice(0, dash), s.slice(dash + 1)] : [epoch, s, '0'];
}

// weight of one character in the non-digit part: `~` before everything (even the end), letters before others
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function comparePart(a: string, b: string): Cmp {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // non-digit prefix
    while ((i < a.length && !/[0-9]/.test(a[i]!)) || (j < b.length && !/[0-9]/.test(b[j]!))) {
      const ca = i < a.length && !/[0-9]/.test(a[i]!) ? a[i] : undefined;
      const cb = j < b.length && !/[0-9]/.test(b[j]!) ? b[j] : undefined;
      const d = order(ca) - order(cb);
      if (d) return d < 0 ? -1 : 1;
      i++;
      j++;
    }
    const na = /^[0-9]*/.exec(a.slice(i))![0];
    const nb = /^[0-9]*/.exec(b.slice(j))![0];
    const c = compareDigits(na || '0', nb || '0');
    if (c) return c;
    i += na.length;
    j += nb.length;
  }
  return 0;
}

export function compareDebian(a: string, b: string): Cmp {
  const x = split(a);
  const y = split(b);
  return compareDigits(x[0], y[0]) || comparePart(x[1], y[1]) || comparePart(x[2], y[2]);
}

// Debian Policy §5.6.12: the upstream version should start with a digit ("1:2.3-4", "0.9~rc1"); not "banana"
export const debian: VersionScheme = { id: 'debian', compare: compareDebian, valid: (v) => /^\s*([0-9]+:)?[0-9]/.test(v) };
