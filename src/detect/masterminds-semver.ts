// github.com/Masterminds/semver v1.5.0 (libbuildpack's fallback): loose versions and constraints with ^ ~ x, hyphen ranges and ||.

export interface LooseVersion {
  major: number;
  minor: number;
  patch: number;
  pre: string;
  original: string;
}

const VERSION = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;

/** NewVersion: `v1.2`, `1`, `1.2.3-beta.1+b` are all accepted; missing parts are 0. */
export function parseLoose(s: string): LooseVersion | undefined {
  const m = VERSION.exec(s);
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: m[2] ? Number(m[2].slice(1)) : 0,
    patch: m[3] ? Number(m[3].slice(1)) : 0,
    pre: m[5] ?? '',
    original: s,
  };
}

function comparePrerelease(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1; // a release sorts after its prereleases
  if (!b) return -1;
  const x = a.split('.'),
    y = b.split('.');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (i >= x.length) return -1;
    if (i >= y.length) return 1;
    const p = x[i],
      q = y[i];
    if (p === q) continue;
    const pn = /^\d+$/.test(p),
      qn = /^\d+$/.test(q);
    if (pn && qn) return Number(p) < Number(q) ? -1 : 1;
    if (pn) return -1;
    if (qn) return 1;
    return p < q ? -1 : 1;
  }
  return 0;
}

export function compareLoose(a: LooseVersion, b: LooseVersion): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return comparePrerelease(a.pre, b.pre);
}

interface Constraint {
  op: string;
  con: LooseVersion;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const OPS = ['', '=', '!=', '>', '<', '>=', '=>', '<=', '=<', '~', '~>', '^'];
const CV = String.raw`v?([0-9|x|X|\*]+)(\.[0-9|x|X|\*]+)?(\.[0-9|x|X|\*]+)?(-([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?(\+([0-9A-Za-z\-]+(\.[0-9A-Za-z\-]+)*))?`;
// Go's regexp alternation is leftmost-first, as JavaScript's is: keep Go's map-order independence by listing longer operators first.
const OPS_RE = [...OPS]
  .sort((a, b) => b.length - a.length)
  .map((o) => o.replace(/[\^$.*+?()[\]{}|\\]/g, '\\$&'))
  .join('|');
const CONSTRAINT = new RegExp(`^\\s*(${OPS_RE})\\s*(${CV})\\s*$`);
const RANGE = new RegExp(`\\s*(${CV})\\s+-\\s+(${CV})\\s*`, 'g');
const FIND = new RegExp(`(${OPS_RE})\\s*(${CV})`, 'g');
const VALID = new RegExp(`^(\\s*(${OPS_RE})\\s*(${CV})\\s*\\,?)+$`);

const isX = (s: string) => s === 'x' || s === 'X' || s === '*';

function parseConstraint(c: string): Constraint {
  const m = CONSTRAINT.exec(c);
  if (!m) throw new Error(`improper constraint: ${c}`);
  const [, op, orig, major, minor = '', patch = '', pre = ''] = m;
  let ver = orig;
  let dirty = false,
    minorDirty = false,
    patchDirty = false;
  if (isX(major)) {
    ver = '0.0.0';
    dirty = true;
  } else if (!minor || isX(minor.slice(1))) {
    minorDirty = dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (!patch || isX(patch.slice(1))) {
    patchDirty = dirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  const con = parseLoose(ver);
  if (!con) throw new Error(`improper constraint: ${c}`);
  return { op, con, dirty, minorDirty, patchDirty };
}

function tilde(v: LooseVersion, c: Constraint): boolean {
  if (v.pre && !c.con.pre) return false;
  if (compareLoose(v, c.con) < 0) return false;
  if (c.con.major === 0 && c.con.minor === 0 && c.con.patch === 0 && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  if (v.minor !== c.con.minor && !c.minorDirty) return false;
  return true;
}

function check(v: LooseVersion, c: Constraint): boolean {
  const preBlocked = v.pre !== '' && c.con.pre === '';
  switch (c.op) {
    case '':
    case '=':
      if (preBlocked) return false;
      return c.dirty ? tilde(v, c) : compareLoose(v, c.con) === 0;
    case '!=':
      if (c.dirty) {
        if (preBlocked) return false;
        if (c.con.major !== v.major) return true;
        if (c.con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (c.con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) return v.pre !== '' || c.con.pre !== '' ? comparePrerelease(v.pre, c.con.pre) !== 0 : false;
      }
      return compareLoose(v, c.con) !== 0;
    case '>':
      if (preBlocked) return false;
      if (!c.dirty) return compareLoose(v, c.con) === 1;
      if (v.major > c.con.major) return true;
      if (v.major < c.con.major) return false;
      if (c.minorDirty) return false; // >11 needs 12 or higher
      if (c.patchDirty) return v.minor > c.con.minor;
      return compareLoose(v, c.con) === 1;
    case '<':
      if (preBlocked) return false;
      return compareLoose(v, c.con) < 0;
    case '>=':
    case '=>':
      if (preBlocked) return false;
      return compareLoose(v, c.con) >= 0;
    case '<=':
    case '=<':
      if (preBlocked) return false;
      if (!c.dirty) return compareLoose(v, c.con) <= 0;
      if (v.major > c.con.major) return false;
      if (v.minor > c.con.minor && !c.minorDirty) return false;
      return true;
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      // v1.5.0's caret only pins the major version (^0.2.3 admits 0.9.0, unlike npm and Masterminds v3).
      if (preBlocked) return false;
      if (compareLoose(v, c.con) < 0) return false;
      return v.major === c.con.major;
    default:
      return false;
  }
}

/** NewConstraint + Check: `^1.2`, `~> 2.1`, `1.2 - 1.4.5`, `>= 1.2, < 2 || 3.x`. Throws on an improper constraint. */
export function parseMastermindsConstraint(input: string): (v: LooseVersion) => boolean {
  const rewritten = input.replace(RANGE, (_m, ...g: string[]) => `>= ${g[0]}, <= ${g[10]}`);
  const ors = rewritten.split('||').map((seg) => {
    if (!VALID.test(seg)) throw new Error(`improper constraint: ${seg}`);
    const found = seg.match(FIND) ?? [seg];
    return found.map(parseConstraint);
  });
  return (v) => ors.some((and) => and.every((c) => check(v, c)));
}
