// A droplet's components in the columns the store writes (droplet_components and new components rows), built where the
// SBOM is parsed: in a worker thread, so that the thread writing to the database only looks up ids.
import { nameKeyOf } from '../../vuln/osv/names.ts';
import type { ComponentRow, DropletRecord } from '../types.ts';

/**
 * One entry per distinct purl, sorted by purl: a component listed twice in an SBOM is one row of droplet_components
 * with the widest scope and every path. Columns of strings rather than objects: a worker thread hands them over at a
 * fraction of the cost of the ComponentRow objects (structured clone of 4 arrays instead of 190 nested objects).
 */
export interface PackedComponents {
  purls: string[];
  scopes: string[];
  /** JSON arrays of paths, sorted */
  paths: string[];
  /** what a new components row needs: a JSON array [ecosystem, namespace, name, name_key, version, type, licenses JSON] */
  details: string[];
}

/** A droplet as the store writes it: a DropletRecord whose components are packed. */
export interface PackedDroplet extends Omit<DropletRecord, 'components'> {
  /** the components as read (an SBOM may list one twice): droplets.component_count */
  componentCount: number;
  packed: PackedComponents;
}

/** The key the inventory compares package names by: the OSV index's normalisation (PEP 503 for PyPI, case for NuGet...). */
export const nameKey = nameKeyOf;

/** purl namespace from the component name: `@babel/core` → `@babel`, `org.apache:commons` → `org.apache`. */
function namespaceOf(ecosystem: string, name: string): string | null {
  const i = ecosystem === 'maven' ? name.indexOf(':') : name.lastIndexOf('/');
  return i > 0 ? name.slice(0, i) : null;
}

const SCOPE_RANK: Record<string, number> = { dev: 0, optional: 1, required: 2 };

export function packComponents(components: readonly ComponentRow[]): PackedComponents {
  const byPurl = new Map<string, { c: ComponentRow; scope: string; paths: string[] }>();
  for (const c of components) {
    const e = byPurl.get(c.purl);
    if (!e) byPurl.set(c.purl, { c, scope: c.scope, paths: [...c.paths] });
    else {
      if ((SCOPE_RANK[c.scope] ?? 0) > (SCOPE_RANK[e.scope] ?? 0)) e.scope = c.scope;
      e.paths.push(...c.paths);
    }
  }
  const out: PackedComponents = { purls: [], scopes: [], paths: [], details: [] };
  for (const purl of [...byPurl.keys()].sort()) {
    const { c, scope, paths } = byPurl.get(purl)!;
    out.purls.push(purl);
    out.scopes.push(scope);
    out.paths.push(JSON.stringify(paths.length < 2 ? paths : [...new Set(paths)].sort()));
    out.details.push(
      JSON.stringify([
        c.ecosystem,
        namespaceOf(c.ecosystem, c.name),
        c.name,
        nameKey(c.ecosystem, c.name),
        c.version,
        c.type,
        JSON.stringify(c.licenses),
      ]),
    );
  }
  return out;
}

export function packDroplet(rec: DropletRecord): PackedDroplet {
  const { components, ...rest } = rec;
  return { ...rest, componentCount: components.length, packed: packComponents(components) };
}
