// How a manager declares what it reads (syft's generic cataloger): file patterns wired to a parser per file or to one catalog.
import { readOrIssue } from './read-or-issue.ts';
import type { Catalog, FileParser, FilePattern, MatchedFiles, PackageManager, ParseResult } from './types.ts';

type Reads = Pick<PackageManager, 'matches' | 'parse'>;

/** A FilePattern as a test: `{match: /(^|\/)yarn\.lock$/, not: /node_modules\//}` → a yarn.lock outside node_modules. */
function tester(p: FilePattern): (path: string) => boolean {
  if (typeof p === 'function') return p;
  if (p instanceof RegExp) return (path) => p.test(path);
  const { match, not } = p;
  return (path) => match.test(path) && !not.test(path);
}

/**
 * Managers whose files each stand alone (syft's WithParserByGlobs): each matched file is read, a located error
 * when it cannot be, and handed to the parser of the first pattern it matches.
 */
export function byFile(parsers: ReadonlyArray<readonly [FilePattern, FileParser]>): Reads {
  const tests = parsers.map(([p, parser]) => [tester(p), parser] as const);
  return {
    matches: tests.length === 1 ? tests[0][0] : (path) => tests.some(([t]) => t(path)),
    async parse(paths, ctx): Promise<ParseResult> {
      const out: ParseResult = { components: [], issues: [] };
      for (const path of paths) {
        const parser = tests.find(([t]) => t(path))?.[1];
        if (!parser) continue;
        const text = await readOrIssue(ctx, path, out.issues);
        if (text === undefined) continue;
        const r = parser(text, path);
        out.components.push(...r.components);
        out.issues.push(...r.issues);
      }
      return out;
    },
  };
}

/**
 * Managers that read several kinds of file together (a lockfile with the manifest or installed tree beside it):
 * the pattern of each kind, and the one catalog given every matched path with its kind.
 */
export function byKind<K extends string>(files: Readonly<Record<K, FilePattern>>, catalog: Catalog<K>): Reads {
  const kinds = Object.keys(files) as K[];
  const tests = kinds.map((k) => tester(files[k]));
  // plain loops: matches() runs once per manager on every file of the tree
  const kindOf = (path: string): K | undefined => {
    for (let i = 0; i < tests.length; i++) if (tests[i](path)) return kinds[i];
    return undefined;
  };
  return {
    matches: tests.length === 1 ? tests[0] : (path) => kindOf(path) !== undefined,
    parse(paths, ctx): Promise<ParseResult> {
      const of = Object.fromEntries(kinds.map((k) => [k, [] as string[]])) as Record<K, string[]>;
      for (const p of paths) {
        const k = kindOf(p);
        if (k !== undefined) of[k].push(p);
      }
      const matched: MatchedFiles<K> = { paths, of, kindOf };
      return catalog(matched, ctx);
    },
  };
}
