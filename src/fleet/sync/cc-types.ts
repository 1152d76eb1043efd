// The Cloud Controller v3 resources `fleet sync` reads (app, droplet, buildpack, stack, space, organization), as the v3
// API documentation describes them, and lenient readers: a field of the wrong type is dropped, never fatal.

export interface CcApp {
  guid: string;
  name: string;
  state?: string;
  updatedAt?: string;
  /** buildpack, cnb or docker */
  lifecycle: string;
  spaceGuid?: string;
  labels: Record<string, string>;
}

export interface CcDropletBuildpack {
  /** the admin buildpack's name (or the URL a custom buildpack was given as) */
  name?: string;
  /** the name the buildpack reported */
  buildpackName?: string;
  version?: string;
  detectOutput?: string;
}

export interface CcDroplet {
  guid: string;
  state?: string;
  createdAt?: string;
  lifecycle: string;
  checksum?: { type: string; value: string };
  buildpacks: CcDropletBuildpack[];
  stack?: string;
  image?: string;
  appGuid?: string;
}

export interface CcBuildpack {
  guid: string;
  name: string;
  stack?: string;
  position?: number;
  filename?: string;
  lifecycle?: string;
  state?: string;
  enabled?: boolean;
  updatedAt?: string;
}

export interface CcStack {
  guid: string;
  name: string;
  description?: string;
  isDefault?: boolean;
  updatedAt?: string;
}

export interface CcSpace {
  guid: string;
  name: string;
  orgGuid?: string;
}

export interface CcOrg {
  guid: string;
  name: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const opt = <K extends string>(k: K, v: unknown): { [P in K]?: string } => (str(v) ? ({ [k]: str(v) } as { [P in K]?: string }) : {});
/** `relationships.space.data.guid` */
const rel = (o: Json, name: string): string | undefined => {
  const r = isObj(o.relationships) ? o.relationships[name] : undefined;
  return isObj(r) && isObj(r.data) ? str(r.data.guid) : undefined;
};

export function readApp(v: unknown): CcApp | undefined {
  if (!isObj(v) || !str(v.guid) || !str(v.name)) return undefined;
  const lc = isObj(v.lifecycle) ? str(v.lifecycle.type) : undefined;
  const labels: Record<string, string> = {};
  if (isObj(v.metadata) && isObj(v.metadata.labels))
    for (const [k, x] of Object.entries(v.metadata.labels)) if (typeof x === 'string') labels[k] = x;
  return {
    guid: v.guid as string,
    name: v.name as string,
    lifecycle: lc ?? 'buildpack',
    labels,
    ...opt('state', v.state),
    ...opt('updatedAt', v.updated_at),
    ...opt('spaceGuid', rel(v, 'space')),
  };
}

export function readDroplet(v: unknown): CcDroplet | undefined {
  if (!isObj(v) || !str(v.guid)) return undefined;
  const lc = isObj(v.lifecycle) ? str(v.lifecycle.type) : undefined;
  const cs =
    isObj(v.checksum) && str(v.checksum.type) && str(v.checksum.value)
      ? { type: v.checksum.type as string, value: v.checksum.value as string }
      : undefined;
  const bps = Array.isArray(v.buildpacks) ? v.buildpacks.filter(isObj) : [];
  const appFromLink = isObj(v.links) && isObj(v.links.app) ? /\/v3\/apps\/([^/?#]+)/.exec(str(v.links.app.href) ?? '')?.[1] : undefined;
  return {
    guid: v.guid as string,
    lifecycle: lc ?? 'buildpack',
    buildpacks: bps.map((b) => ({
      ...opt('name', b.name),
      ...opt('buildpackName', b.buildpack_name),
      ...opt('version', b.version),
      ...opt('detectOutput', b.detect_output),
    })),
    ...(cs ? { checksum: cs } : {}),
    ...opt('state', v.state),
    ...opt('createdAt', v.created_at),
    ...opt('stack', v.stack),
    ...opt('image', v.image),
    ...opt('appGuid', rel(v, 'app') ?? appFromLink),
  };
}

export function readBuildpack(v: unknown): CcBuildpack | undefined {
  if (!isObj(v) || !str(v.guid) || !str(v.name)) return undefined;
  return {
    guid: v.guid as string,
    name: v.name as string,
    ...opt('stack', v.stack),
    ...(typeof v.position === 'number' ? { position: v.position } : {}),
    ...opt('filename', v.filename),
    ...opt('lifecycle', v.lifecycle),
    ...opt('state', v.state),
    ...(typeof v.enabled === 'boolean' ? { enabled: v.enabled } : {}),
    ...opt('updatedAt', v.updated_at),
  };
}

export function readStack(v: unknown): CcStack | undefined {
  if (!isObj(v) || !str(v.guid) || !str(v.name)) return undefined;
  return {
    guid: v.guid as string,
    name: v.name as string,
    ...opt('description', v.description),
    ...(typeof v.default === 'boolean' ? { isDefault: v.default } : {}),
    ...opt('updatedAt', v.updated_at),
  };
}

export function readSpace(v: unknown): CcSpace | undefined {
  if (!isObj(v) || !str(v.guid) || !str(v.name)) return undefined;
  return { guid: v.guid as string, name: v.name as string, ...opt('orgGuid', rel(v, 'organization')) };
}

export function readOrg(v: unknown): CcOrg | undefined {
  if (!isObj(v) || !str(v.guid) || !str(v.name)) return undefined;
  return { guid: v.guid as string, name: v.name as string };
}

/** `{data: {guid}}` of GET /v3/apps/:guid/relationships/current_droplet; null when the app has no current droplet. */
export function readRelationship(v: unknown): string | null {
  return isObj(v) && isObj(v.data) ? (str(v.data.guid) ?? null) : null;
}

/** The version in an admin buildpack's file name: `nodejs_buildpack-cached-cflinuxfs4-v1.9.4.zip` → `1.9.4`. */
export function versionFromFilename(filename: string | undefined): string | undefined {
  if (!filename) return undefined;
  // "-v1.9.4.zip", "_v4.77.0.zip", "-1.2.3-rc.1.tgz": a dotted number (two parts at least) before the extension
  const m = /[-_]v?(\d+\.\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.]+?)?)\.(?:zip|tgz|tar\.gz|cnb)$/i.exec(filename.trim());
  return m?.[1];
}
