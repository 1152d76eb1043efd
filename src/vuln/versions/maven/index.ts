// Maven version order (https://maven.apache.org/pom.html#Version_Order_Specification, as ComparableVersion implements it).
import { memoize } from '../memo.ts';
import { type Cmp, type VersionScheme, compareDigits, isDigits } from '../types.ts';

interface Token {
  prefix: '' | '.' | '-';
  value: string;
  /** a padding value standing in for a missing token */
  isNull?: boolean;
}

const KEYWORDS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const keywordRank = (k: string): number => {
  const i = KEYWORDS.indexOf(k);
  return i < 0 ? KEYWORDS.length : i;
};

// "1.0-RC1" -> [{'',1},{'.',0},{'-',rc},{'-',1}]: split at '.', '-' and digit/letter borders (a border counts as '-')
const parse = memoize(function parseMaven(input: string): readonly Token[] {
  const tokens: Token[] = [];
  const raw = input.trim().split(/([.-])/);
  for (let i = 0; i < raw.length; i += 2) {
    const part = raw[i]!;
    let prefix: Token['prefix'] = i === 0 ? '' : (raw[i - 1] as '.' | '-');
    const pieces = part.match(/[0-9]+|[^0-9]+/g) ?? [''];
    pieces.forEach((piece, j) => {
      if (j > 0) prefix = '-';
      let v = piece.toLowerCase();
      if (v === '') v = '0';
      if (v === 'cr') v = 'rc';
      if (v === 'ga' || v === 'final' || v === 'release') v = '';
      // a, b and m are short for alpha, beta and milestone when a number follows directly
      if (j < pieces.length - 1) v = v === 'a' ? 'alpha' : v === 'b' ? 'beta' : v === 'm' ? 'milestone' : v;
      if (isDigits(v)) v = v.replace(/^0+(?=.)/, '');
      tokens.push({ prefix, value: v });
    });
  }
  // trim trailing null values (0, "", final, ga), then again before each remaining hyphen, from the end
  const isNullValue = (t: Token) => t.value === '0' || t.value === '';
  let i = tokens.length - 1;
  while (i > 0) {
    if (isNullValue(tokens[i]!)) {
      tokens.splice(i, 1);
      i--;
      continue;
    }
    while (i >= 0 && tokens[i]!.prefix !== '-') i--;
    i--;
  }
  return tokens;
});

function equal(a: Token, b: Token): boolean {
  if (a.prefix !== b.prefix) return false;
  if (isDigits(a.value) && isDigits(b.value)) return compareDigits(a.value, b.value) === 0;
  return a.value === b.value;
}

// ".qualifier" < "-qualifier" < "-number" < ".number"
function prefixRank(t: Token): number {
  const num = isDigits(t.value);
  if (t.prefix === '-') return num ? 2 : 1;
  return num ? 3 : 0;
}

function less(a: Token, b: Token): boolean {
  if (a.prefix === b.prefix) {
    const an = isDigits(a.value);
    const bn = isDigits(b.value);
    if (an && bn) return compareDigits(a.value, b.value) < 0;
    // numbers sort after qualifiers, unless they are padding
    if (an && !a.isNull) return false;
    if (bn && !b.isNull) return true;
    const ra = keywordRank(a.value);
    const rb = keywordRank(b.value);
    if (ra === KEYWORDS.length && rb === KEYWORDS.length) return a.value < b.value;
    return ra < rb;
  }
  return prefixRank(a) < prefixRank(b);
}

// padding for a missing token takes the other side's prefix: 0 after '.', "" after '-'
function pad(other: Token): Token {
  if (other.prefix === '-') return { prefix: '-', value: '', isNull: true };
  return { prefix: '.', value: other.value === 'sp' ? '' : '0', isNull: true };
}

export function compareMaven(a: string, b: string): Cmp {
  const x = parse(a);
  const y = parse(b);
  const n = Math.max(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const l = x[i] ?? pad(y[i]!);
    const r = y[i] ?? pad(x[i]!);
    if (equal(l, r)) continue;
    return less(l, r) ? -1 : 1;
  }
  return 0;
}

// ComparableVersion orders any string, and real artifacts use "r09"-style versions; one without any digit ("banana") is
// no release a range can place
export const maven: VersionScheme = { id: 'maven', compare: compareMaven, valid: (v) => /[0-9]/.test(v) };
