// The SBOM document model: a Capture plus staging facts, normalised (deduplicated, sorted) before any format writes it.
import type { Capture, Component, Issue } from '../model/index.ts';

/** One buildpack of the staging: name and version from deps/<idx>/config.yml, key from the builder. */
export interface BuildpackFact {
  index?: string;
  name?: string;
  version?: string;
  key?: string;
}

export interface AppFact {
  name?: string;
  id?: string;
  version?: string;
  spaceId?: string;
  spaceName?: string;
  orgId?: string;
  orgName?: string;
}

/** What the SBOM says besides the components. */
export interface SbomFacts {
  app: AppFact;
  /** CF_STACK, e.g. cflinuxfs4 */
  stack?: string;
  buildpacks: BuildpackFact[];
  tool: { name: string; version: string };
  /** Seconds since the epoch (SOURCE_DATE_EPOCH). Absent: the documents carry no wall-clock time (see docs/sbom-and-verify.md). */
  epoch?: number;
}

export interface SbomModel {
  facts: SbomFacts;
  /** libraries and runtimes, one per purl, sorted by purl; each dependsOn sorted and restricted to known purls */
  components: Component[];
  /** purls the app depends on directly (declared direct, else the roots of the graph), sorted */
  appDependsOn: string[];
  /** buildpacks sorted by index, then name */
  buildpacks: BuildpackFact[];
  complete: boolean;
  issues: Issue[];
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function uniqSorted(xs: Iterable<string>): string[] {
  return [...new Set(xs)].sort(byString);
}

/** Merges equal purls (locations, licenses, hashes, edges) without mutating the capture. */
function mergeComponents(list: readonly Component[]): Component[] {
  const map = new Map<string, Component>();
  for (const c of list) {
    const prev = map.get(c.purl);
    if (!prev) {
      map.set(c.purl, { ...c, licenses: [...c.licenses], hashes: [...c.hashes], locations: [...c.locations], dependsOn: [...c.dependsOn] });
      continue;
    }
    prev.licenses.push(...c.licenses);
    prev.hashes.push(...c.hashes);
    prev.locations.push(...c.locations);
    prev.dependsOn.push(...c.dependsOn);
    prev.direct = prev.direct || c.direct;
    // the narrowest claim loses: a package required anywhere is required
    if (c.scope === 'required' || (c.scope === 'optional' && prev.scope === 'dev')) prev.scope = c.scope;
  }
  return [...map.values()];
}

function normaliseOne(c: Component, known: Set<string>): Component {
  const licenses = [...new Map(c.licenses.map((l) => [`${l.spdx ?? ''}\u0000${l.raw}`, l])).values()].sort((a, b) =>
    byString(a.spdx ?? a.raw, b.spdx ?? b.raw) || byString(a.raw, b.raw));
  const hashes = [...new Map(c.hashes.map((h) => [`${h.alg}:${h.value.toLowerCase()}`, { alg: h.alg, value: h.value.toLowerCase() }])).values()].sort((a, b) =>
    byString(a.alg, b.alg) || byString(a.value, b.value));
  const locations = [...new Map(c.locations.map((l) => [`${l.path}\u0000${l.line ?? 0}\u0000${l.source}`, l])).values()].sort((a, b) =>
    byString(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || byString(a.source, b.source));
  const dependsOn = uniqSorted(c.dependsOn.filter((p) => known.has(p) && p !== c.purl));
  return { ...c, licenses, hashes, locations, dependsOn };
}

export function buildModel(capture: Capture, facts: SbomFacts): SbomModel {
  const merged = mergeComponents(capture.components.filter((c) => c.kind !== 'application'));
  const known = new Set(merged.map((c) => c.purl));
  const components = merged.map((c) => normaliseOne(c, known)).sort((a, b) => byString(a.purl, b.purl));
  const direct = components.filter((c) => c.direct).map((c) => c.purl);
  let appDependsOn: string[];
  if (direct.length > 0) appDependsOn = direct;
  else {
    const incoming = new Set(components.flatMap((c) => c.dependsOn));
    appDependsOn = components.filter((c) => !incoming.has(c.purl)).map((c) => c.purl);
  }
  const runtimes = components.filter((c) => c.kind === 'runtime').map((c) => c.purl);
  const buildpacks = [...facts.buildpacks].sort((a, b) => byString(a.index ?? '', b.index ?? '') || byString(a.name ?? '', b.name ?? ''));
  const issues = [...capture.issues].sort((a, b) => byString(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || byString(a.message, b.message));
  return {
    facts,
    components,
    appDependsOn: uniqSorted([...appDependsOn, ...runtimes]),
    buildpacks,
    complete: capture.complete && !capture.issues.some((i) => i.severity === 'error'),
    issues,
  };
}

/** `path:line: message` as documents list capture issues. */
export function issueText(i: Issue): string {
  return `${i.path}${i.line ? `:${i.line}` : ''}: ${i.severity}: ${i.message}`;
}
