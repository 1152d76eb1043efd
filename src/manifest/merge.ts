// Merges the operator's manifest with the app's own bpx.yml for one point (phase:when): operator first, app only adds.
import { DEFAULT_TIMEOUT_MS, parseDuration } from './duration.ts';
import type { ExtensionSpec, Manifest, Point, ResolvedExtension } from './types.ts';

export interface MergeResult {
  /** per point, in run order: operator extensions in manifest order, then the app's. */
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

/**
 * The app can never remove, reorder or override an operator extension: its extensions are appended after the
 * operator's at each point, a name the operator already uses is refused, and so is any point outside allowedAt.
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
    for (const p of spec.at) add(p, r);
  }
  if (!app) return { byPoint, refused };
  const policy = operator.manifest.app ?? {};
  if (!policy.allowExtensions) {
    return { byPoint, refused };
  }
  const allowed = new Set(policy.allowedAt ?? []);
  for (const spec of app.manifest.extensions ?? []) {
    if (opNames.has(spec.name)) {
      refused.push(`app extension '${spec.name}' refused: the operator already declares an extension of that name, which an app can neither override nor disable`);
      continue;
    }
    const r = resolveExt(spec, app.dir, false);
    for (const p of spec.at) {
      if (allowed.has(p)) add(p, r);
      else refused.push(`app extension '${spec.name}' refused at ${p}: the operator allows app extensions only at ${[...allowed].join(', ') || 'no point'}`);
    }
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
