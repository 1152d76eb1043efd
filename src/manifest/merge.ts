// Merges the operator's manifest with the app's own bpx.yml for one point (phase:when): operator first, app only adds, operator signs last.
import { DEFAULT_TIMEOUT_MS, parseDuration } from './duration.ts';
import type { ExtensionSpec, Manifest, Point, ResolvedExtension } from './types.ts';

export interface MergeResult {
  /** per point, in run order: operator extensions in manifest order, the app's inserted before the operator's signing step. */
  byPoint: Map<Point, ResolvedExtension[]>;
  /** one line per app extension refused (for the staging log). */
  refused: string[];
}

export interface ManifestSource {
  manifest: Manifest;
  dir: string;
}

function resolveExt(spec: ExtensionSpec, dir: string, operator: boolean): ResolvedExtension {
  return {
    spec,
    manifestDir: dir,
    operator,
    timeoutMs: (spec.timeout && parseDuration(spec.timeout)) || DEFAULT_TIMEOUT_MS,
    onFailure: spec.onFailure ?? 'warn',
  };
}

/** The built-in that writes and signs the droplet's SBOM: only the operator's manifest may use it. */
export const SIGNING_BUILTIN = 'builtin:sbom';

/** A point's extensions as a list, also when a hand-written manifest gives `at` as one point. */
function pointsOf(spec: ExtensionSpec): Point[] {
  return typeof spec.at === 'string' ? [spec.at] : [...(spec.at ?? [])];
}

/**
 * The app can never remove, reorder or override an operator extension: a name the operator already uses is refused,
 * and so is any point outside allowedAt, and any use of the signing built-in (the SBOM and its signature are the
 * operator's; an app may add outputs, never replace those). At each point the app's extensions run after the
 * operator's, but before the operator's signing step, so that the signature covers everything they wrote:
 * operator extensions up to the first builtin:sbom, then the app's, then that builtin:sbom and the operator's rest.
 */
export function mergeManifests(operator: ManifestSource, app?: ManifestSource): MergeResult {
  const byPoint = new Map<Point, ResolvedExtension[]>();
  const refused: string[] = [];
  const add = (p: Point, r: ResolvedExtension) => {
    const list = byPoint.get(p) ?? [];
    list.push(r);
    byPoint.set(p, list);
  };
  const opNames = new Set<string>();
  for (const spec of operator.manifest.extensions ?? []) {
    opNames.add(spec.name);
    const r = resolveExt(spec, operator.dir, true);
    for (const p of pointsOf(spec)) add(p, r);
  }
  if (!app) return { byPoint, refused };
  const policy = operator.manifest.app ?? {};
  if (!policy.allowExtensions) {
    return { byPoint, refused };
  }
  const allowed = new Set(policy.allowedAt ?? []);
  const appAt = new Map<Point, ResolvedExtension[]>();
  for (const spec of app.manifest.extensions ?? []) {
    if (opNames.has(spec.name)) {
      refused.push(
        `app extension '${spec.name}' refused: the operator already declares an extension of that name, which an app can neither override nor disable`,
      );
      continue;
    }
    if (spec.uses === SIGNING_BUILTIN) {
      refused.push(
        `app extension '${spec.name}' refused: ${SIGNING_BUILTIN} writes and signs the droplet's SBOM where the operator's outputs live; only the operator's manifest may use it (an app may add extensions, never replace the operator's outputs)`,
      );
      continue;
    }
    const r = resolveExt(spec, app.dir, false);
    for (const p of pointsOf(spec)) {
      if (allowed.has(p)) appAt.set(p, [...(appAt.get(p) ?? []), r]);
      else
        refused.push(
          `app extension '${spec.name}' refused at ${p}: the operator allows app extensions only at ${[...allowed].join(', ') || 'no point'}`,
        );
    }
  }
  for (const [p, list] of appAt) {
    const ops = byPoint.get(p) ?? [];
    const sign = ops.findIndex((e) => e.spec.uses === SIGNING_BUILTIN);
    byPoint.set(p, sign < 0 ? [...ops, ...list] : [...ops.slice(0, sign), ...list, ...ops.slice(sign)]);
  }
  return { byPoint, refused };
}

/** Environment variable names the operator's manifest names as secrets: every `{env: NAME}` object inside a `with:`. */
export function secretEnvNames(manifest: Manifest): string[] {
  const names = new Set<string>();
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.env === 'string') names.add(o.env);
      Object.values(o).forEach(walk);
    }
  };
  for (const e of manifest.extensions ?? []) walk(e.with);
  return [...names].sort();
}
