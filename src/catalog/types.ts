// The PackageManager contract: one folder per package manager under managers/, registered in registry.ts.
import type { Component, Ecosystem, Issue } from '../model/index.ts';

/** A regular file found under the scanned root (links are never followed out of the root). */
export interface AppFile {
  /** POSIX path relative to the scanned root, e.g. `app/package-lock.json` or `deps/0/node_modules/x/package.json`. */
  path: string;
  size: number;
}

/** What a manager may use to read the scanned tree. No child processes, no network, nothing executed. */
export interface ScanContext {
  /** Every regular file below the root, sorted by path. */
  readonly files: readonly AppFile[];
  /** true when `path` (relative, POSIX) is a regular file below the root. */
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
   * Parse all matching files at once (so a manager can reconcile a lockfile with the installed tree beside it).
   * Lenient per entry: a bad entry is dropped and reported as an Issue with file and line; never throws for bad input.
   */
  parse(paths: string[], ctx: ScanContext): Promise<ParseResult>;
}
