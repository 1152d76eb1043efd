// Dependency edges after reconciliation: retarget edges to the version that is installed, drop edges to what is not shipped.
import type { Component } from '../model/index.ts';

/**
 * `renamed` maps a lockfile purl to the installed purl that replaced it. Returns new components (inputs untouched)
 * whose dependsOn only names purls present in `components`.
 */
export function fixEdges(components: readonly Component[], renamed: ReadonlyMap<string, string>): Component[] {
  const present = new Set(components.map((c) => c.purl));
  return components.map((c) => {
    const deps = [...new Set(c.dependsOn.map((d) => renamed.get(d) ?? d))].filter((d) => present.has(d) && d !== c.purl).sort();
    return deps.length === c.dependsOn.length && deps.every((d, i) => d === c.dependsOn[i]) ? c : { ...c, dependsOn: deps };
  });
}
