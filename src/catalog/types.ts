// The PackageManager contract: one folder per package manager under managers/, registered in registry.ts.
// A manager's index.ts only declares (id, ecosystem, description, file patterns wired to its code with
// byFile or byKind from declare.ts); its code sits in catalog.ts and parse-<format>.ts beside it.
import type { Component, Ecosystem, Issue } from '../model/index.ts';
import type { NameTest } from './names.ts';

/** A regular file found under the scanned root (links are never followed out of the root). */
export interface AppFile {
  /** POSIX path relative to the scanned root, e.g. `app/package-lock.json` or `deps/0/node_modules/x/package.json`. */
  path: string;
  size: number;
}

/** What a manager may use to read the scanned tree. No child processes, no network, nothing executed. */
export interface ScanContext {
  /** The regular files below the root that some package manager of this capture reads (its patterns), sorted by path. */
  readonly files: readonly AppFile[];
  /** true when `path` (relative, POSIX) is a regular file below the root, listed in `files` or not. */
  has(path: string): boolean;
  /** Reads a file below the root; throws an Error naming the path when it is missing, too large or outside the root. */
  read(path: string): Promise<Buffer>;
  readText(path: string): Promise<string>;
  /** Include dev-scoped packages in the result (they are marked scope 'dev'). Default false. */
  readonly includeDev: boolean;
}

export interface ParseResult {
  components: Component[];
  issues: Issue[];
}

export interface PackageManager {
  /** Folder name under managers/, e.g. `npm`. */
  id: string;
  ecosystem: Ecosystem;
  /** One line for the docs. */
  description: string;
  /** Which files this manager reads (path relative to the scanned root). Must be cheap: it runs on every file. */
  matches(path: string): boolean;
  /**
   * What the name of every file `matches` accepts passes (read off the patterns by byFile and byKind): the walk lists
   * only files whose names pass some manager's test. Absent: any name may match.
   */
  names?: NameTest;
  /**
   * Parse all matching files at once (so a manager can reconcile a lockfile with the installed tree beside it).
   * Lenient per entry: a bad entry is dropped and reported as an Issue with file and line; never throws for bad input.
   */
  parse(paths: string[], ctx: ScanContext): Promise<ParseResult>;
}

/**
 * Which paths a manager reads, relative to the scanned root: a RegExp, a RegExp with exceptions
 * (`{match: /(^|\/)yarn\.lock$/, not: /node_modules\//}`), or a predicate kept with the manager's rules.
 * Cheap: it runs on every file of the tree. The walk first tests the file's name alone with what the RegExp says its
 * matches end with (`Cargo.lock`; src/catalog/names.ts), or with `name` where the RegExp does not say it plainly
 * (`{match: /(^|\/)bin\/[^/.]+$/, name: /^[^.]+$/}`: every name the match accepts passes `name`). A predicate
 * has no such test: every file of the tree then goes through it.
 */
export type FilePattern = RegExp | { match: RegExp; not?: RegExp; name?: RegExp } | ((path: string) => boolean);

/** Parses one file's text (syft's generic parser function). Lenient per entry; never throws for bad input. */
export type FileParser = (text: string, path: string) => ParseResult;

/** What a byKind manager's catalog is given: the matched paths, and the kind of each (the first pattern it matches). */
export interface MatchedFiles<K extends string> {
  /** every path handed to the manager, in path order */
  paths: readonly string[];
  /** the paths of each kind, in path order */
  of: Readonly<Record<K, readonly string[]>>;
  kindOf(path: string): K | undefined;
}

/** The code of a manager that reads several kinds of file together (a lockfile and the installed tree beside it). */
export type Catalog<K extends string> = (files: MatchedFiles<K>, ctx: ScanContext) => Promise<ParseResult>;
