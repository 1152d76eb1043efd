// pyproject.toml (PEP 621 [project], PEP 735 [dependency-groups], Poetry [tool.poetry]): the app's declared roots.
import { readToml, asArray, asRecord, asString } from './toml.ts';
import { normaliseName } from './package.ts';

/** PEP 503 names the project declares, by how they ship. */
export interface DeclaredRoots {
  /** The project's own name (not a dependency). */
  self?: string;
  required: Set<string>;
  optional: Set<string>;
  dev: Set<string>;
}

// 'requests[socks] >=2 ; python_version<"3.8"' → 'requests'
const PEP508_NAME = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/;

function namesOf(list: unknown): string[] {
  const out: string[] = [];
  for (const v of asArray(list)) {
    const m = typeof v === 'string' ? PEP508_NAME.exec(v) : undefined;
    if (m) out.push(normaliseName(m[1]));
  }
  return out;
}

function keysOf(table: unknown): string[] {
  return Object.keys(asRecord(table) ?? {})
    .filter((k) => k !== 'python')
    .map(normaliseName);
}

/** Reads the roots a pyproject.toml declares; undefined when it does not parse. */
export function readPyproject(text: string, file: string): DeclaredRoots | undefined {
  const { doc, issues } = readToml(text, file, 'tool');
  if (issues.length) return undefined;
  const project = asRecord(doc.project);
  const poetry = asRecord(asRecord(doc.tool)?.poetry);
  const roots: DeclaredRoots = { required: new Set(), optional: new Set(), dev: new Set() };
  const self = asString(project?.name) ?? asString(poetry?.name);
  if (self) roots.self = normaliseName(self);
  for (const n of namesOf(project?.dependencies)) roots.required.add(n);
  for (const n of keysOf(poetry?.dependencies)) {
    // Poetry marks extras-only dependencies `optional = true`.
    const spec = asRecord(asRecord(poetry?.dependencies)?.[n]);
    (spec?.optional === true ? roots.optional : roots.required).add(n);
  }
  for (const list of Object.values(asRecord(project?.['optional-dependencies']) ?? {}))
    for (const n of namesOf(list)) roots.optional.add(n);
  for (const n of keysOf(poetry?.['dev-dependencies'])) roots.dev.add(n);
  for (const [g, group] of Object.entries(asRecord(poetry?.group) ?? {})) {
    for (const n of keysOf(asRecord(group)?.dependencies)) (g === 'main' ? roots.required : roots.dev).add(n);
  }
  for (const list of Object.values(asRecord(doc['dependency-groups']) ?? {})) for (const n of namesOf(list)) roots.dev.add(n);
  // PDM before PEP 735: [tool.pdm.dev-dependencies] <group> = ["pytest>=7", …]
  for (const list of Object.values(asRecord(asRecord(asRecord(doc.tool)?.pdm)?.['dev-dependencies']) ?? {}))
    for (const n of namesOf(list)) roots.dev.add(n);
  const uvDev = asRecord(asRecord(doc.tool)?.uv)?.['dev-dependencies'];
  for (const n of namesOf(uvDev)) roots.dev.add(n);
  return roots;
}
