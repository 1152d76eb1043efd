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

/** A component's details column as last built in this thread: one purl's facts are nearly always alike across SBOMs. */
type Details = Pick<ComponentRow, 'ecosystem' | 'name' | 'version' | 'type' | 'licenses'> & { json: string };
// purl → the details built for it last (bounded: a thread reading a fleet meets tens of thousands of purls)
const detailsMemo = new Map<string, Details>();
const DETAILS_MEMO_MAX = 200_000;
// a one-path list's JSON (most components have one path, the same lockfile's in many SBOMs)
const onePathMemo = new Map<string, string>();

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

function detailsOf(c: ComponentRow): string {
  const m = detailsMemo.get(c.purl);
  if (
    m &&
    m.ecosystem === c.ecosystem &&
    m.name === c.name &&
    m.version === c.version &&
    m.type === c.type &&
    sameList(m.licenses, c.licenses)
  )
    return m.json;
  const json = JSON.stringify([
    c.ecosystem,
    namespaceOf(c.ecosystem, c.name),
    c.name,
    nameKey(c.ecosystem, c.name),
    c.version,
    c.type,
    JSON.stringify(c.licenses),
  ]);
  if (detailsMemo.size >= DETAILS_MEMO_MAX) detailsMemo.clear();
  detailsMemo.set(c.purl, { ecosystem: c.ecosystem, name: c.name, version: c.version, type: c.type, licenses: c.licenses, json });
  return json;
}

function pathsJson(paths: readonly string[]): string {
  if (paths.length !== 1) return JSON.stringify(paths);
  let j = onePathMemo.get(paths[0]!);
  if (j === undefined) {
    j = JSON.stringify(paths);
    if (onePathMemo.size >= 10_000) onePathMemo.clear();
    onePathMemo.set(paths[0]!, j);
  }
  return j;
}

export function packComponents(components: readonly ComponentRow[]): PackedComponents {
  const order = components
    .map((_, i) => i)
    .sort((a, b) => {
      const x = components[a]!.purl;
      const y = components[b]!.purl;
      return x < y ? -1 : x > y ? 1 : a - b;
    });
  const out: PackedComponents = { purls: [], scopes: [], paths: [], details: [] };
  for (let k = 0; k < order.length;) {
    const c = components[order[k]!]!;
    let scope: string = c.scope;
    let paths: readonly string[] = c.paths;
    // the same purl listed again: one row, the widest scope and every path
    let end = k + 1;
    if (end < order.length && components[order[end]!]!.purl === c.purl) {
      const all = [...c.paths];
      for (; end < order.length && components[order[end]!]!.purl === c.purl; end++) {
        const d = components[order[end]!]!;
        if ((SCOPE_RANK[d.scope] ?? 0) > (SCOPE_RANK[scope] ?? 0)) scope = d.scope;
        all.push(...d.paths);
      }
      paths = all;
    }
    // sorted, each once
    if (paths.length > 1) paths = [...new Set(paths)].sort();
    out.purls.push(c.purl);
    out.scopes.push(scope);
    out.paths.push(pathsJson(paths));
    out.details.push(detailsOf(c));
    k = end;
  }
  return out;
}

export function packDroplet(rec: DropletRecord): PackedDroplet {
  const { components, ...rest } = rec;
  return { ...rest, componentCount: components.length, packed: packComponents(components) };
}
