// How a manager declares what it reads (syft's generic cataloger): file patterns wired to its code, a parser per file or
// one catalog. The code is named by a lazy import (`() => import('./catalog.ts')`): a capture loads the code of the
// managers that found files, and the bundle keeps each manager's code (and libraries: XML, TOML, YAML, zip) in its chunk.
import { type NameTest, anyName, nameTestOf } from './names.ts';
import { readOrIssue } from './read-or-issue.ts';
import type { Catalog, FileParser, FilePattern, PackageManager, ParseResult } from './types.ts';

type Reads = Pick<PackageManager, 'matches' | 'names' | 'parse'>;

/** A module of a manager's, imported on first use: `() => import('./parse-cargo-lock.ts')`. */
export type Load<M> = () => Promise<M>;

/** The exports of module M that are FileParsers, by name. */
type ParserName<M> = { [K in keyof M]: M[K] extends FileParser ? K : never }[keyof M] & string;

/**
 * A FilePattern as a test: `{match: /(^|\/)yarn\.lock$/, not: /node_modules\//}` → a yarn.lock outside node_modules.
 * It runs on every file of the tree, so a pattern that ends in plain text is first checked with endsWith, which
 * turns away most paths for a fraction of a regular expression's cost.
 */
function tester(p: FilePattern): (path: string) => boolean {
  if (typeof p === 'function') return p;
  const match = p instanceof RegExp ? p : p.match;
  const not = p instanceof RegExp ? undefined : p.not;
  const tail = literalTail(match);
  if (not === undefined) return tail ? (path) => path.endsWith(tail) && match.test(path) : (path) => match.test(path);
  return tail ? (path) => path.endsWith(tail) && match.test(path) && !not.test(path) : (path) => match.test(path) && !not.test(path);
}

/**
 * The text every match of `re` ends with, read from its source: `/(^|\/)Cargo\.lock$/` → `Cargo.lock`,
 * `/\.(jar|war)$/i` → '' (a group, a flag), `/a$|b$/` → '' (an alternative at the top). Letters, digits and
 * `-`, `_`, `/`, `.` (escaped) before the final `$` count, up to the first other token.
 */
export function literalTail(re: RegExp): string {
  const src = re.source;
  if (re.flags.replace(/[gdsy]/g, '') !== '' || !src.endsWith('$') || src.endsWith('\\$')) return '';
  // an alternative at the top level can end anywhere
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return '';
  }
  let tail = '';
  let i = src.length - 2;
  while (i >= 0) {
    const c = src[i];
    // a character is escaped when an odd number of backslashes stands before it
    let slashes = 0;
    while (src[i - 1 - slashes] === '\\') slashes++;
    if (slashes % 2 === 1) {
      if (!/[./\-_]/.test(c)) break;
      tail = c + tail;
      i -= 2;
    } else if (/[A-Za-z0-9_\-/]/.test(c) && !/[*+?}]/.test(src[i + 1] ?? '')) {
      tail = c + tail;
      i -= 1;
    } else break;
  }
  return tail;
}

/** The test of file names a pattern's matches pass: declared (`name`), read off its RegExp, none for a predicate. */
function nameTestOfPattern(p: FilePattern): NameTest | undefined {
  if (typeof p === 'function') return undefined;
  if (p instanceof RegExp) return nameTestOf(p);
  return p.name ? { suffixes: [], suffixesIgnoringCase: [], patterns: [p.name] } : nameTestOf(p.match);
}

/** Imports once, whoever asks first. */
function once<M>(load: Load<M>): Load<M> {
  let loaded: Promise<M> | undefined;
  return () => (loaded ??= load());
}

/**
 * Managers whose files each stand alone (syft's WithParserByGlobs): each matched file is read, a located error
 * when it cannot be, and handed to the parser (an export of the loaded module, by name) of the first pattern it matches.
 */
export function byFile<M>(load: Load<M>, parsers: ReadonlyArray<readonly [FilePattern, ParserName<M>]>): Reads {
  const code = once(load);
  const tests = parsers.map(([p, name]) => [tester(p), name] as const);
  const names = anyName(parsers.map(([p]) => nameTestOfPattern(p)));
  return {
    matches: tests.length === 1 ? tests[0][0] : (path) => tests.some(([t]) => t(path)),
    ...(names ? { names } : {}),
    async parse(paths, ctx): Promise<ParseResult> {
      const out: ParseResult = { components: [], issues: [] };
      const mod = await code();
      for (const path of paths) {
        const name = tests.find(([t]) => t(path))?.[1];
        if (!name) continue;
        const text = await readOrIssue(ctx, path, out.issues);
        if (text === undefined) continue;
        const r = (mod[name] as FileParser)(text, path);
        out.components.push(...r.components);
        out.issues.push(...r.issues);
      }
      return out;
    },
  };
}

/**
 * Managers that read several kinds of file together (a lockfile with the manifest or installed tree beside it):
 * the pattern of each kind, and the module whose `catalog` is given every matched path with its kind. `anchors`: the
 * kinds without which the catalog finds and says nothing (yarn with no yarn.lock, only an npm tree's package.json
 * files): then its code is not even loaded.
 */
export function byKind<K extends string>(
  files: Readonly<Record<K, FilePattern>>,
  load: Load<{ catalog: Catalog<K> }>,
  anchors?: ReadonlyArray<NoInfer<K>>,
): Reads {
  const code = once(load);
  const kinds = Object.keys(files) as K[];
  const tests = kinds.map((k) => tester(files[k]));
  // plain loops: matches() runs once per manager on every file of the tree
  const kindOf = (path: string): K | undefined => {
    for (let i = 0; i < tests.length; i++) if (tests[i](path)) return kinds[i];
    return undefined;
  };
  const names = anyName(kinds.map((k) => nameTestOfPattern(files[k])));
  return {
    matches: tests.length === 1 ? tests[0] : (path) => kindOf(path) !== undefined,
    ...(names ? { names } : {}),
    async parse(paths, ctx): Promise<ParseResult> {
      const of = Object.fromEntries(kinds.map((k) => [k, [] as string[]])) as Record<K, string[]>;
      for (const p of paths) {
        const k = kindOf(p);
        if (k !== undefined) of[k].push(p);
      }
      if (anchors && anchors.every((k) => of[k].length === 0)) return { components: [], issues: [] };
      const { catalog } = await code();
      return catalog({ paths, of, kindOf }, ctx);
    },
  };
}
