// Walks a scanned root (app dir or droplet root) once: regular files only, links never followed out of the root.
import { statSync } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Issue } from '../model/index.ts';
import type { AppFile } from './types.ts';
import { mapLimit } from './map-limit.ts';

export interface WalkOptions {
  /** Directory names never entered (default: `.git`). */
  skipDirs?: ReadonlySet<string>;
}

export interface WalkResult {
  /** realpath of the root. */
  root: string;
  /** Regular files below the root, sorted by POSIX relative path. */
  files: AppFile[];
  /** Symlinked files kept (their target stays inside the root): relative path → realpath. */
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
 * and managers look at the size of a handful, so the walk itself never stats a regular file.
 */
class LazyFile implements AppFile {
  #abs: string;
  #size: number | undefined;
  constructor(
    readonly path: string,
    abs: string,
    size?: number,
  ) {
    this.#abs = abs;
    this.#size = size;
  }
  get size(): number {
    if (this.#size === undefined) {
      try {
        this.#size = statSync(this.#abs).size;
      } catch {
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
  const root = await realpath(rootDir);
  const files: AppFile[] = [];
  const issues: Issue[] = [];
  const links: Array<{ rel: string; abs: string }> = [];
  const linkTargets = new Map<string, string>();
  // Breadth-first, a level's directories read in parallel (bounded): on a busy machine this is several times
  // faster than one readdir after another, and readdir holds no descriptor open for long.
  let level: string[] = [''];
  while (level.length) {
    const listed = await mapLimit(level, 32, async (rel) => {
      try {
        return { rel, ents: await readdir(rel ? path.join(root, rel) : root, { withFileTypes: true }) };
      } catch (err) {
        issues.push({ path: rel || '.', severity: 'warning', message: `cannot read directory: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        return { rel, ents: [] };
      }
    });
    const next: string[] = [];
    for (const { rel, ents } of listed) {
      const abs = rel ? path.join(root, rel) : root;
      for (const ent of ents) {
        const childRel = rel ? `${rel}/${ent.name}` : ent.name;
        if (ent.isDirectory()) {
          if (!skipDirs.has(ent.name)) next.push(childRel);
        } else if (ent.isFile()) {
          files.push(new LazyFile(childRel, path.join(abs, ent.name)));
        } else if (ent.isSymbolicLink()) {
          links.push({ rel: childRel, abs: path.join(abs, ent.name) });
        }
      }
    }
    level = next;
  }
  await Promise.all(
    links.map(async (l) => {
      let real: string;
      try {
        real = await realpath(l.abs);
      } catch {
        issues.push({ path: l.rel, severity: 'warning', message: 'dangling link: skipped' });
        return;
      }
      if (!inside(root, real)) {
        issues.push({ path: l.rel, severity: 'warning', message: 'link out of the app: skipped' });
        return;
      }
      const st = await stat(real).catch(() => undefined);
      // links to directories are never followed (no cycles, no double counting)
      if (st?.isFile()) {
        files.push(new LazyFile(l.rel, real, st.size));
        linkTargets.set(l.rel, real);
      }
    }),
  );
  files.sort(byPath);
  issues.sort(byPath);
  return { root, files, links: linkTargets, issues };
}
