// Walks a scanned root (app dir or droplet root) once: regular files only, links never followed out of the root; lists
// the files asked for and remembers every directory, so that any other file can still be told apart later.
import { type Dirent, type Stats, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Issue } from '../model/index.ts';
import type { AppFile } from './types.ts';

export interface WalkOptions {
  /** Directory names never entered (default: `.git`). */
  skipDirs?: ReadonlySet<string>;
  /**
   * Paths (relative to the root) a package manager would read. A link skipped at such a path is an error (the
   * capture misses that file), elsewhere a warning. Default: none is wanted.
   */
  wanted?: (rel: string) => boolean;
  /**
   * Which of the regular files found (relative paths) to list, one flag each: capture lists only what some package
   * manager reads, so a node_modules tree of 40,000 files yields a few thousand objects to size and sort. Given all
   * paths at once, so that each manager's patterns run over them in one loop. Default: every file.
   */
  keep?: (rels: readonly string[]) => readonly boolean[];
  /**
   * A test of a regular file's name alone that every file `keep` accepts passes: the others are passed over before
   * their paths are even built (a node_modules tree of 40,000 files has a few thousand whose names a manager reads).
   * Default: every name passes.
   */
  name?: (name: string) => boolean;
}

export interface WalkResult {
  /** realpath of the root. */
  root: string;
  /** Regular files below the root that `keep` accepts, sorted by POSIX relative path. */
  files: AppFile[];
  /**
   * Every directory listed (relative path, '' for the root): a file is below the root, reached without a link, and
   * outside the skipped directories exactly when its directory is here.
   */
  dirs: Set<string>;
  /** Symlinked files whose target stays inside the root (kept or not): relative path → realpath. */
  links: Map<string, string>;
  issues: Issue[];
}

const DEFAULT_SKIP = new Set(['.git']);

export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** true when `real` (a realpath) is `root` or below it. */
export function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/**
 * A listed file whose size is read on first use: a node_modules tree has tens of thousands of files
 * and managers look at the size of a handful, so the walk itself never stats a regular file
 * (nor builds its absolute path, `base + path`).
 */
class LazyFile implements AppFile {
  #base: string;
  #size: number | undefined;
  constructor(
    readonly path: string,
    /** the realpath of the root with a trailing separator. */
    base: string,
    size?: number,
  ) {
    this.#base = base;
    this.#size = size;
  }
  get size(): number {
    if (this.#size === undefined) {
      try {
        this.#size = statSync(this.#base + this.path).size;
      } catch {
        // removed since the walk, or in a directory that can be listed but not searched: read() reports it
        this.#size = 0;
      }
    }
    return this.#size;
  }
  toJSON(): AppFile {
    return { path: this.path, size: this.size };
  }
}

/**
 * Walk using readdir's file types (no stat per file). Symlinks to directories are never entered;
 * a symlinked file is kept only if its realpath stays inside the root.
 */
export async function walk(rootDir: string, opts: WalkOptions = {}): Promise<WalkResult> {
  const skipDirs = opts.skipDirs ?? DEFAULT_SKIP;
  const nameOk = opts.name;
  const root = realpathSync.native(rootDir);
  const base = root.endsWith(path.sep) ? root : root + path.sep;
  // every regular file, and the links to files inside the root with their sizes: `keep` decides which are listed
  const found: string[] = [];
  const linkSizes = new Map<string, number>();
  const dirs = new Set<string>();
  const issues: Issue[] = [];
  const links: string[] = [];
  const linkTargets = new Map<string, string>();
  // Synchronous, depth-first: the tree is in the page cache right after an install, and there a readdir costs
  // less than the thread-pool hop and promise of an async one (measured on a 1,300-package node_modules on a
  // loaded 2-core host: 60 ms wall / 90 ms CPU against 140 ms / 225 ms for 32 parallel async readdirs).
  const stack: string[] = [''];
  while (stack.length) {
    const rel = stack.pop() as string;
    let ents: Dirent[];
    try {
      ents = readdirSync(rel ? base + rel : root, { withFileTypes: true });
    } catch (err) {
      // whatever it holds is not captured: an error, so the capture says it is incomplete
      issues.push({
        path: rel || '.',
        severity: 'error',
        message: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}: its files are not captured`,
      });
      continue;
    }
    dirs.add(rel);
    const prefix = rel ? `${rel}/` : '';
    for (const ent of ents) {
      if (ent.isDirectory()) {
        if (!skipDirs.has(ent.name)) stack.push(prefix + ent.name);
      } else if (ent.isFile()) {
        if (nameOk === undefined || nameOk(ent.name)) found.push(prefix + ent.name);
      } else if (ent.isSymbolicLink()) {
        links.push(prefix + ent.name);
      }
    }
  }
  // A skipped link a manager would have read (`package-lock.json -> /elsewhere`) leaves the capture incomplete.
  // A link to a directory is never entered anyway, so only a link that may be a file can lose a manager's input.
  const skipped = (rel: string, why: string, dir = false): void => {
    const lost = !dir && opts.wanted?.(rel) === true;
    issues.push({ path: rel, severity: lost ? 'error' : 'warning', message: lost ? `${why}: skipped, not captured` : `${why}: skipped` });
  };
  for (const rel of links) {
    let real: string;
    try {
      real = realpathSync.native(base + rel);
    } catch {
      skipped(rel, 'dangling link');
      continue;
    }
    if (!inside(root, real)) {
      let dir = false;
      try {
        dir = statSync(real).isDirectory();
      } catch {
        dir = false;
      }
      skipped(rel, 'link out of the app', dir);
      continue;
    }
    let st: Stats | undefined;
    try {
      st = statSync(real);
    } catch {
      st = undefined;
    }
    // links to directories are never followed (no cycles, no double counting)
    if (st?.isFile()) {
      found.push(rel);
      linkSizes.set(rel, st.size);
      linkTargets.set(rel, real);
    }
  }
  const listed = opts.keep?.(found);
  const files: AppFile[] = [];
  for (let i = 0; i < found.length; i++)
    if (listed === undefined || listed[i]) files.push(new LazyFile(found[i], base, linkSizes.get(found[i])));
  files.sort(byPath);
  issues.sort(byPath);
  return { root, files, dirs, links: linkTargets, issues };
}
