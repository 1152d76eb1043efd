// Reachability over a lockfile's dependency graph (syft's internal/dependency resolver): managers supply only their edges.
import type { Scope } from '../model/index.ts';

/** A node's dependencies: a map of edges, or a function (e.g. Node's module resolution from the node's folder). */
export type Edges<T> = ReadonlyMap<T, readonly T[]> | ((node: T) => Iterable<T>);

function dependencies<T>(edges: Edges<T>): (node: T) => Iterable<T> {
  return typeof edges === 'function' ? edges : (n) => edges.get(n) ?? [];
}

/** Depth first from `starts`: each node not yet `seen` is marked, then its dependencies are walked. */
function walk<T>(starts: Iterable<T>, deps: (node: T) => Iterable<T>, seen: (node: T) => boolean, mark: (node: T) => void): void {
  const stack = [...starts];
  while (stack.length) {
    const n = stack.pop() as T;
    if (seen(n)) continue;
    mark(n);
    for (const m of deps(n)) if (!seen(m)) stack.push(m);
  }
}

/** Every node `starts` reach through `edges`, the starts included. */
export function reachable<T>(starts: Iterable<T>, edges: Edges<T>): Set<T> {
  const out = new Set<T>();
  walk(
    starts,
    dependencies(edges),
    (n) => out.has(n),
    (n) => out.add(n),
  );
  return out;
}

export interface ScopeRoots<T> {
  required?: Iterable<T>;
  optional?: Iterable<T>;
  dev?: Iterable<T>;
}

/**
 * Walks `edges` from each root set: reached from `required` roots → required, else from `optional` roots
 * → optional, else from `dev` roots → dev. Nodes already in `into` keep their scope and are not walked through.
 * Nodes reached from none are left out of the map (the caller decides; managers keep them as required, since
 * a production package must never be dropped).
 */
export function scopesByReach<T>(edges: Edges<T>, roots: ScopeRoots<T>, into: Map<T, Scope> = new Map()): Map<T, Scope> {
  const deps = dependencies(edges);
  const seen = (n: T): boolean => into.has(n);
  walk(roots.required ?? [], deps, seen, (n) => into.set(n, 'required'));
  walk(roots.optional ?? [], deps, seen, (n) => into.set(n, 'optional'));
  walk(roots.dev ?? [], deps, seen, (n) => into.set(n, 'dev'));
  return into;
}
