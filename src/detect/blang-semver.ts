// github.com/blang/semver v3.5.1 (what CF's libbuildpack tries first): strict SemVer 2.0.0 versions and its range grammar.

export interface StrictVersion {
  major: number;
  minor: number;
  patch: number;
  pre: Array<string | number>;
}

const NUM = /^(0|[1-9]\d*)$/;
const PRE_ID = /^[0-9A-Za-z-]+$/;

/** blang Parse: `1.2.3`, `1.2.3-rc.1+build`; no `v`, no partial versions, no leading zeros. */
export function parseStrict(s: string): StrictVersion | undefined {
  const plus = s.indexOf('+');
  const core = plus >= 0 ? s.slice(0, plus) : s;
  if (
    plus >= 0 &&
    !s
      .slice(plus + 1)
      .split('.')
      .every((b) => PRE_ID.test(b))
  )
    return undefined;
  const dash = core.indexOf('-');
  const main = dash >= 0 ? core.slice(0, dash) : core;
  const parts = main.split('.');
  if (parts.length !== 3 || !parts.every((p) => NUM.test(p))) return undefined;
  const pre: Array<string | number> = [];
  if (dash >= 0) {
    for (const id of core.slice(dash + 1).split('.')) {
      if (!PRE_ID.test(id)) return undefined;
      if (/^\d+$/.test(id)) {
        if (!NUM.test(id)) return undefined; // numeric identifiers must not have leading zeros
        pre.push(Number(id));
      } else pre.push(id);
    }
  }
  return { major: Number(parts[0]), minor: Number(parts[1]), patch: Number(parts[2]), pre };
}

/** SemVer 2.0.0 precedence (§11). */
export function compareStrict(a: StrictVersion, b: StrictVersion): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  if (!a.pre.length || !b.pre.length) return a.pre.length === b.pre.length ? 0 : a.pre.length ? -1 : 1;
  for (let i = 0; i < Math.max(a.pre.length, b.pre.length); i++) {
    if (i >= a.pre.length) return -1;
    if (i >= b.pre.length) return 1;
    const x = a.pre[i],
      y = b.pre[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x < y ? -1 : 1;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

type Pred = (v: StrictVersion) => boolean;

const COMPARATORS: Record<string, (c: number) => boolean> = {
  '': (c) => c === 0,
  '=': (c) => c === 0,
  '==': (c) => c === 0,
  '!': (c) => c !== 0,
  '!=': (c) => c !== 0,
  '>': (c) => c === 1,
  '>=': (c) => c >= 0,
  '<': (c) => c === -1,
  '<=': (c) => c <= 0,
};

/** Splits on spaces except right after an operator: ">= 1.0.0 <2.0.0" → [">=1.0.0", "<2.0.0"]. */
function splitAndTrim(s: string): string[] {
  const out: string[] = [];
  let last = 0;
  let lastChar = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === ' ' && !'><='.includes(lastChar || '#')) {
      if (last < i - 1) out.push(s.slice(last, i));
      last = i + 1;
    } else if (s[i] !== ' ') lastChar = s[i];
  }
  if (last < s.length - 1) out.push(s.slice(last));
  return out.map((p) => p.replace(/ /g, ''));
}

function splitComparator(s: string): [string, string] {
  const i = s.search(/\d/);
  if (i < 0) throw new Error(`could not get version from ${JSON.stringify(s)}`);
  return [s.slice(0, i).trim(), s.slice(i)];
}

/** blang's wildcard expansion: `1.2.x` → `>=1.2.0 <1.3.0`, `>1.x` → `>=2.0.0`, `<=1.2.x` → `<1.3.0`. */
function expandWildcard(ap: string): string[] {
  if (!ap.includes('x')) return [ap];
  const [op, v] = splitComparator(ap);
  const parts = v.split('.');
  const kind = parts[parts.length - 1] === 'x' ? parts.length : 0; // 2: minor wildcard, 3: patch wildcard
  let flat = v.replace('.x.x', '.x').replace('.x', '.0');
  if (flat.split('.').length === 2) flat += '.0';
  const bump = () => {
    const p = flat.split('.');
    const idx = kind === 3 ? 1 : kind === 2 ? 0 : -1;
    if (idx < 0) return flat;
    p[idx] = String(Number(p[idx]) + 1);
    return p.join('.');
  };
  switch (op) {
    case '>':
      return [`>=${bump()}`];
    case '>=':
      return [`>=${flat}`];
    case '<':
      return [`<${flat}`];
    case '<=':
      return [`<${bump()}`];
    case '':
    case '=':
    case '==':
      return [`>=${flat}`, `<${bump()}`];
    case '!=':
    case '!':
      return [`<${flat}`, `>=${bump()}`];
    default:
      return [`${op}${kind ? bump() : flat}`];
  }
}

/** blang ParseRange: AND by spaces, OR by `||`, no brackets; throws like blang on anything else. */
export function parseBlangRange(s: string): Pred {
  const parts = splitAndTrim(s);
  const ors: string[][] = [];
  let last = 0;
  parts.forEach((p, i) => {
    if (p === '||') {
      if (i === 0) throw new Error("first element in range is '||'");
      ors.push(parts.slice(last, i));
      last = i + 1;
    }
  });
  if (last === parts.length) throw new Error("last element in range is '||'");
  ors.push(parts.slice(last));
  const orFns = ors.map((and) => {
    const fns = and.flatMap(expandWildcard).map((ap): Pred => {
      const [op, vs] = splitComparator(ap);
      const cmp = COMPARATORS[op];
      if (!cmp) throw new Error(`could not parse comparator ${JSON.stringify(op)} in ${JSON.stringify(ap)}`);
      const v = parseStrict(vs);
      if (!v) throw new Error(`could not parse version ${JSON.stringify(vs)} in ${JSON.stringify(ap)}`);
      return (x) => cmp(compareStrict(x, v));
    });
    return (x: StrictVersion) => fns.every((f) => f(x));
  });
  return (x) => orFns.some((f) => f(x));
}
