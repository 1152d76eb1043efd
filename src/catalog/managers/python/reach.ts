// Scope by reachability in a lockfile's dependency graph: what the app's runtime roots reach ships.
import type { Scope } from '../../../model/index.ts';

/**
 * Walks `edges` from each root set: reached from `required` roots → required, else from `optional` roots
 * → optional, else from `dev` roots → dev. Nodes reached from none are left out of the map (the caller
 * decides; managers keep them as required, since a production package must never be dropped).
 */
export function scopesByReach(
  edges: ReadonlyMap<string, readonly string[]>,
  roots: { required: Iterable<string>; optional?: Iterable<string>; dev?: Iterable<string> },
): Map<string, Scope> {
  const out = new Map<string, Scope>();
  const walk = (start: Iterable<string>, scope: Scope): void => {
    const stack = [...start];
    while (stack.length) {
      const n = stack.pop() as string;
      if (out.has(n)) continue;
      out.set(n, scope);
      for (const m of edges.get(n) ?? []) if (!out.has(m)) stack.push(m);
    }
  };
  walk(roots.required, 'required');
  walk(roots.optional ?? [], 'optional');
  walk(roots.dev ?? [], 'dev');
  return out;
}
