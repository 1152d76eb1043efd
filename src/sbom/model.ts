// The SBOM document model: a Capture plus staging facts, normalised (deduplicated, sorted) before any format writes it.
import type { VcapApp } from '../platform/vcap.ts';
import { mergeOnce } from '../catalog/merge.ts';
import type { Capture, Component, Issue } from '../model/index.ts';

/**
 * One buildpack of the staging: its own name and version from deps/<idx>/config.yml (not the enriched detect line
 * builtin:detect-versions writes there), key from the builder; for the wrapped buildpack, what `bpx wrap` recorded of
 * it (src/sbom/buildpack-build.ts): the digest of its content and its git commit.
 */
export interface BuildpackFact {
  index?: string;
  name?: string;
  version?: string;
  key?: string;
  /** bpx buildpack digest v1 (lowercase hex SHA-256) of the inner buildpack as wrapped */
  sha256?: string;
  /** the git commit it was wrapped from */
  commit?: string;
}

/** The app, as VCAP_APPLICATION names it (src/platform/vcap.ts). */
export type AppFact = VcapApp;

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

// After the catalog's merge (one per purl; locations deduplicated and sorted, edges unique and sorted, without self):
// licenses sorted by expression, hashes lowercase, edges only to components in the document.
function normaliseOne(c: Component, known: Set<string>): Component {
  const licenses = [...new Map(c.licenses.map((l) => [`${l.spdx ?? ''}\u0000${l.raw}`, l])).values()].sort(
    (a, b) => byString(a.spdx ?? a.raw, b.spdx ?? b.raw) || byString(a.raw, b.raw),
  );
  const hashes = [
    ...new Map(c.hashes.map((h) => [`${h.alg}:${h.value.toLowerCase()}`, { alg: h.alg, value: h.value.toLowerCase() }])).values(),
  ].sort((a, b) => byString(a.alg, b.alg) || byString(a.value, b.value));
  const dependsOn = c.dependsOn.filter((p) => known.has(p));
  return { ...c, licenses, hashes, dependsOn };
}

export function buildModel(capture: Capture, facts: SbomFacts): SbomModel {
  // the catalog's merge rule (src/catalog/merge.ts): one component per purl, the strongest scope, direct if any is;
  // a capture's components are merged already, and are then taken as they are
  const merged = mergeOnce(capture.components.filter((c) => c.kind !== 'application'));
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
  const issues = [...capture.issues].sort(
    (a, b) => byString(a.path, b.path) || (a.line ?? 0) - (b.line ?? 0) || byString(a.message, b.message),
  );
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
