// File-name tests read off the managers' path patterns (ECMAScript RegExp source), so that the walk looks at a file's
// name alone and turns away the thousands of files no manager can read before it builds their paths.

/**
 * What the name (last path segment) of every file a pattern accepts passes: it ends with one of `suffixes`, with one
 * of `suffixesIgnoringCase` (lower case), or matches one of `patterns`. A necessary condition only: the pattern
 * itself still decides.
 */
export interface NameTest {
  suffixes: readonly string[];
  suffixesIgnoringCase: readonly string[];
  patterns: readonly RegExp[];
}

type Atom =
  | { t: 'lit'; c: string }
  | { t: 'group'; alts: Item[][] }
  /** `$` */
  | { t: 'end' }
  /** anything else: a class, `.`, `^`, `\d`, a lookaround, a back reference */
  | { t: 'other' };
/** An atom and its quantifier: `min` repetitions at least (0 for `?`, `*`, `{0,n}`), `once` when it has none. */
interface Item {
  atom: Atom;
  min: number;
  once: boolean;
}

/** Escapes that stand for a class of characters, a code, a back reference or an assertion: not one literal character. */
const CLASS_ESCAPES = 'dDwWsSbBcxukpPq0123456789';
/** Escapes of control characters: `\n` is a newline, not `n`. */
const CONTROL: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };

/** Parses alternatives from `i` up to the `)` closing the group (or the end): `a|b\.c` → [[a], [b, ., c]]. */
function parseAlts(src: string, i: number, inGroup: boolean): [Item[][], number] {
  const alts: Item[][] = [[]];
  while (i < src.length) {
    const c = src[i];
    if (c === '|') {
      alts.push([]);
      i++;
      continue;
    }
    if (c === ')') {
      if (inGroup) return [alts, i + 1];
      throw new Error('unbalanced )');
    }
    let atom: Atom;
    if (c === '\\') {
      const d = src[i + 1] ?? '';
      atom = CLASS_ESCAPES.includes(d) ? { t: 'other' } : { t: 'lit', c: CONTROL[d] ?? d };
      i += 2;
    } else if (c === '[') {
      i++;
      while (i < src.length && src[i] !== ']') i += src[i] === '\\' ? 2 : 1;
      i++;
      atom = { t: 'other' };
    } else if (c === '(') {
      // a lookaround or back reference name matches nothing itself: `(?=`, `(?!`, `(?<=`, `(?<!`
      const look = /^\(\?(?:[=!]|<[=!])/.test(src.slice(i, i + 4));
      const head = /^\((?:\?:|\?<[A-Za-z_$][\w$]*>|\?(?:[=!]|<[=!]))?/.exec(src.slice(i))![0];
      // `(?i:` and other forms this reader does not know
      if (head === '(' && src[i + 1] === '?') throw new Error('unknown group');
      const [inner, next] = parseAlts(src, i + head.length, true);
      i = next;
      atom = look ? { t: 'other' } : { t: 'group', alts: inner };
    } else if (c === '$') {
      atom = { t: 'end' };
      i++;
    } else if (c === '^' || c === '.') {
      atom = { t: 'other' };
      i++;
    } else {
      atom = { t: 'lit', c };
      i++;
    }
    let min = 1;
    let once = true;
    const q = /^(?:[?*+]|\{(\d+)(?:,\d*)?\})\??/.exec(src.slice(i));
    if (q) {
      once = false;
      min = q[0][0] === '+' ? 1 : q[0][0] === '{' ? Number(q[1]) : 0;
      i += q[0].length;
    }
    alts[alts.length - 1].push({ atom, min, once });
  }
  if (inGroup) throw new Error('unclosed (');
  return [alts, i];
}

/**
 * The texts every match of `items[0..k]` ends with, read backwards: literal characters, then at most one group (each of
 * its alternatives, in turn read backwards); '' among them when a match may end otherwise.
 */
function endings(items: readonly Item[], k: number, acc: string): string[] {
  for (; k >= 0; k--) {
    const { atom, min, once } = items[k];
    if (atom.t === 'lit' && once) acc = atom.c + acc;
    else if (atom.t === 'lit' && min > 0) return [atom.c + acc];
    else if (atom.t === 'group' && min > 0) return atom.alts.flatMap((alt) => endings(alt, alt.length - 1, '')).map((s) => s + acc);
    else return [acc];
  }
  return [acc];
}

/**
 * The name test of a path pattern, or undefined when its source does not say plainly how a match ends:
 * `/(^|\/)Cargo\.lock$/` → ends with `Cargo.lock`; `/(^|\/)(Gemfile\.lock|gems\.locked)$/` → either;
 * `/(^|\/)vendor\/modules\.txt$/` → `modules.txt`; `/\.(jar|war)$/i` → `jar` or `war`, ignoring case;
 * `/\.d$|x$/` → `.d` or `x`; `/\d$/`, `/abc?$/`, `/lib\//` (no `$`) → undefined.
 */
export function nameTestOf(re: RegExp): NameTest | undefined {
  const flags = re.flags.replace(/[ds]/g, '');
  if (flags !== '' && flags !== 'i') return undefined;
  let alts: Item[][];
  try {
    alts = parseAlts(re.source, 0, false)[0];
  } catch {
    return undefined;
  }
  const out = new Set<string>();
  for (const alt of alts) {
    const last = alt[alt.length - 1];
    // a match that need not reach the end of the path can end anywhere
    if (last?.atom.t !== 'end' || !last.once) return undefined;
    for (const s of endings(alt, alt.length - 2, '')) {
      // only what follows the last `/` is the name
      const name = s.slice(s.lastIndexOf('/') + 1);
      if (name === '') return undefined;
      out.add(flags === 'i' ? name.toLowerCase() : name);
    }
  }
  const suffixes = [...out];
  // ignoring case is lower-casing only for ASCII letters (a non-unicode /i pattern folds no other letter onto them)
  if (flags === 'i' && suffixes.some((x) => /[^\x00-\x7f]/.test(x))) return undefined;
  return flags === 'i'
    ? { suffixes: [], suffixesIgnoringCase: suffixes, patterns: [] }
    : { suffixes, suffixesIgnoringCase: [], patterns: [] };
}

/** One test that passes where any of `tests` does; undefined (every name passes) when any of them is. */
export function anyName(tests: ReadonlyArray<NameTest | undefined>): NameTest | undefined {
  if (tests.some((t) => t === undefined)) return undefined;
  const all = tests as NameTest[];
  return {
    suffixes: [...new Set(all.flatMap((t) => t.suffixes))],
    suffixesIgnoringCase: [...new Set(all.flatMap((t) => t.suffixesIgnoringCase))],
    patterns: all.flatMap((t) => t.patterns),
  };
}

/**
 * The test as a function, for the walk's inner loop: suffixes looked up by their last character, so that a name ending
 * in a character no suffix ends with (most of `.js`, `.md`, `.ts`) costs one map look-up and the patterns.
 */
export function nameFilter(test: NameTest): (name: string) => boolean {
  const byLast = (list: readonly string[]): Map<number, string[]> => {
    const m = new Map<number, string[]>();
    for (const s of list) {
      const k = s.charCodeAt(s.length - 1);
      const l = m.get(k);
      if (l) l.push(s);
      else m.set(k, [s]);
    }
    return m;
  };
  const exact = byLast(test.suffixes);
  const folded = byLast(test.suffixesIgnoringCase);
  const patterns = test.patterns;
  return (name) => {
    const last = name.charCodeAt(name.length - 1);
    const e = exact.get(last);
    if (e !== undefined) for (const s of e) if (name.endsWith(s)) return true;
    if (folded.size) {
      // lower-cased only when a suffix could fit: `A`-`Z` → `a`-`z`, as toLowerCase does for ASCII
      const f = folded.get(last >= 65 && last <= 90 ? last + 32 : last);
      if (f !== undefined) {
        const lower = name.toLowerCase();
        for (const s of f) if (lower.endsWith(s)) return true;
      }
    }
    for (const p of patterns) if (p.test(name)) return true;
    return false;
  };
}
