// One target of `fleet add` as a DropletRecord: its identity (digest) first, then what loadTarget reads from it, with
// the facts the scan loader does not keep (app names, stack, licenses, paths) and the builder's result.json beside it.
import { createHash, webcrypto } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { digestDropletDir } from '../../droplet/digest.ts';
import type { Component } from '../../model/index.ts';
import { type LoadedTarget, type Target, loadTarget, sbomFileTarget } from '../../vuln/scan/targets.ts';
import { readSbomJson } from '../../vuln/scan/sbom-input.ts';
import type { AppIdentity, BuildpackRow, ComponentRow, DropletRecord, SourceKind } from '../types.ts';
import { type SbomFacts, sbomFacts } from './sbom-facts.ts';

export interface ReadOptions {
  /** PEM public key: verify each droplet's signed SBOM and store the verdict */
  publicKey?: Buffer;
  tmpDir: string;
  /** names given on the command line: they win over everything read */
  names?: Partial<AppIdentity>;
  /**
   * folder → the names in it, filled as targets are read (one run's cache): a result.json is looked for only where the
   * listing has it, instead of one failed open per target of a folder of thousands of SBOMs
   */
  listings?: Map<string, Promise<Set<string> | undefined>>;
}

/** An SBOM file as identify() read it: its content and modification time. */
export interface ReadBytes {
  bytes: Buffer;
  mtime: Date;
}

const sha256File = (file: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });

/** The droplet's identity: `sha256:` of the tarball or SBOM file, `tree-sha256:` of an unpacked droplet's subject digests. */
export async function targetDigest(t: Target): Promise<string> {
  return (await identify(t)).digest;
}

/**
 * targetDigest, and an SBOM file's bytes with it: an SBOM file is read once, hashed, and parsed from the same bytes
 * (readTarget takes them), where a droplet tarball is hashed as a stream and never held whole.
 */
export async function identify(t: Target): Promise<{ digest: string; file?: ReadBytes }> {
  if (t.kind === 'sbom') {
    const fh = await open(t.path, 'r');
    try {
      const mtime = (await fh.stat()).mtime;
      const bytes = await fh.readFile();
      // hashed off the main thread (WebCrypto digests in the thread pool), which meanwhile parses other SBOMs
      const sha = Buffer.from(await webcrypto.subtle.digest('SHA-256', bytes)).toString('hex');
      return { digest: `sha256:${sha}`, file: { bytes, mtime } };
    } finally {
      await fh.close();
    }
  }
  if (t.kind === 'droplet') return { digest: `sha256:${await sha256File(t.path)}` };
  if (t.kind === 'droplet-dir') {
    const { subjects } = await digestDropletDir(t.path);
    const h = createHash('sha256');
    for (const s of subjects) h.update(`${s.name} ${s.sha256}\n`);
    return { digest: `tree-sha256:${h.digest('hex')}` };
  }
  throw new Error(t.error ?? 'not a droplet, unpacked droplet or SBOM file');
}

// `my-app.tgz` -> `my-app`; `droplet.tgz` and `sbom.cdx.json` are named after their folder (bpx stage -o OUT/<app>)
const STEM = /(\.tar\.gz|\.tgz|\.droplet|\.(cdx|spdx|bom)\.json|\.json)$/i;
function fallbackName(p: string): string {
  const stem = path.basename(p).replace(STEM, '');
  return ['droplet', 'sbom', 'bom', ''].includes(stem.toLowerCase()) ? path.basename(path.dirname(p)) : stem;
}

interface ResultJson {
  app: Partial<AppIdentity>;
  buildpacks: Array<{ key?: string; name?: string; version?: string }>;
  detected?: string;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * The builder's staging result beside a droplet (`OUT/result.json` beside `OUT/droplet.tgz`, or `<name>.result.json`):
 * buildpack keys, names and versions and the detected_buildpack line; and app names when a pipeline added
 * VCAP_APPLICATION's fields (application_name, space_name, organization_name and their *_id) to it.
 */
async function resultBeside(p: string, listings: ReadOptions['listings']): Promise<ResultJson | undefined> {
  const stem = path.basename(p).replace(STEM, '');
  const dir = path.dirname(p);
  const names = [`${stem}.result.json`, ...(stem.toLowerCase() === 'droplet' ? ['result.json'] : [])];
  let listing: Set<string> | undefined;
  if (listings) {
    if (!listings.has(dir))
      listings.set(
        dir,
        readdir(dir).then(
          (n) => new Set(n),
          () => undefined,
        ),
      );
    listing = await listings.get(dir);
  }
  const candidates = names.filter((n) => !listing || listing.has(n)).map((n) => path.join(dir, n));
  for (const c of candidates) {
    const text = await readFile(c, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch {
      return undefined;
    }
    if (!isObj(doc)) return undefined;
    const v = isObj(doc.vcap_application) ? doc.vcap_application : doc;
    const lm = isObj(doc.lifecycle_metadata) ? doc.lifecycle_metadata : {};
    const opt = <K extends string>(k: K, x: unknown): { [P in K]?: string } => (str(x) ? ({ [k]: str(x) } as { [P in K]?: string }) : {});
    return {
      app: {
        ...opt('name', v.application_name),
        ...opt('guid', v.application_id),
        ...opt('spaceName', v.space_name),
        ...opt('spaceGuid', v.space_id),
        ...opt('orgName', v.organization_name),
        ...opt('orgGuid', v.organization_id),
      },
      buildpacks: (Array.isArray(lm.buildpacks) ? lm.buildpacks.filter(isObj) : []).map((b) => ({
        ...opt('key', b.key),
        ...opt('name', b.name),
        ...opt('version', b.version),
      })),
      ...(str(lm.detected_buildpack) ? { detected: str(lm.detected_buildpack) } : {}),
    };
  }
  return undefined;
}

function detectedIn(stagingInfo: string | undefined): string | undefined {
  if (!stagingInfo) return undefined;
  try {
    const v = YAML.parse(stagingInfo, { schema: 'core' }) as unknown;
    return isObj(v) ? str(v.detected_buildpack) : undefined;
  } catch {
    return undefined;
  }
}

/** Buildpack rows in staging order: the builder's result.json when there (it knows the keys), filled in from the droplet. */
function buildpackRows(loaded: LoadedTarget, result: ResultJson | undefined, detected: string | undefined): BuildpackRow[] {
  const fromDroplet = loaded.buildpacks.map((b, i) => ({
    position: b.index !== undefined && /^\d+$/.test(b.index) ? Number(b.index) : i,
    ...b,
  }));
  const rows: BuildpackRow[] = [];
  if (result?.buildpacks.length) {
    result.buildpacks.forEach((b, i) => {
      const d = fromDroplet.find((x) => x.position === i);
      const key = b.key ?? d?.key;
      const name = b.name ?? d?.name;
      const version = b.version ?? d?.version;
      rows.push({ position: i, ...(key ? { key } : {}), ...(name ? { name } : {}), ...(version ? { version } : {}) });
    });
  } else {
    for (const d of fromDroplet.sort((a, b) => a.position - b.position)) {
      if (rows.some((r) => r.position === d.position)) continue;
      rows.push({
        position: d.position,
        ...(d.key ? { key: d.key } : {}),
        ...(d.name ? { name: d.name } : {}),
        ...(d.version ? { version: d.version } : {}),
      });
    }
  }
  const line = result?.detected ?? detected;
  if (line && rows.length) rows[rows.length - 1] = { ...rows[rows.length - 1]!, detectLine: line };
  return rows;
}

/** Components as the store keeps them: licenses, and the paths in the droplet (an SBOM's evidence, or the files captured). */
export function componentRows(components: readonly Component[], facts: SbomFacts | undefined, fromSbom: boolean): ComponentRow[] {
  return components.map((c) => {
    const extra = facts?.extra.get(c.purl);
    const own = c.licenses.map((l) => l.spdx ?? l.raw).filter(Boolean);
    return {
      purl: c.purl,
      ecosystem: c.ecosystem,
      name: c.name,
      version: c.version,
      type: c.kind,
      scope: c.scope,
      licenses: own.length ? [...new Set(own)] : (extra?.licenses ?? []),
      // components read from an SBOM are located at the SBOM itself: their places in the droplet are in its evidence
      paths: fromSbom ? (extra?.paths ?? []) : [...new Set(c.locations.map((l) => l.path))].sort(),
    };
  });
}

export function contentDigest(components: readonly ComponentRow[], buildpacks: readonly BuildpackRow[]): string {
  const lines = [
    ...components.map((c) => `${c.purl}\t${c.scope}`),
    ...buildpacks.map((b) => `buildpack:${b.position}\t${b.key ?? ''}\t${b.name ?? ''}\t${b.version ?? ''}`),
  ].sort();
  return `sha256:${createHash('sha256').update(lines.join('\n')).digest('hex')}`;
}

function appOf(
  names: Partial<AppIdentity> | undefined,
  result: ResultJson | undefined,
  facts: SbomFacts | undefined,
  fallback: string,
): AppIdentity {
  const pick = <K extends keyof AppIdentity>(k: K): AppIdentity[K] | undefined => names?.[k] ?? result?.app[k] ?? facts?.app[k];
  const out: AppIdentity = { name: pick('name') ?? fallback };
  for (const k of ['guid', 'spaceName', 'spaceGuid', 'orgName', 'orgGuid'] as const) {
    const v = pick(k);
    if (v) out[k] = v;
  }
  return out;
}

/**
 * Reads one target (whose digest is known) into a record; throws an Error saying why when it cannot be read. `file`:
 * an SBOM file as identify() read it (else it is read here).
 */
export async function readTarget(
  t: Target,
  digest: string,
  opts: ReadOptions,
  file?: ReadBytes,
): Promise<{ record: DropletRecord; notes: string[]; problems: string[] }> {
  if (t.kind === 'app-dir' || t.kind === 'unreadable')
    throw new Error(
      t.error ?? 'not a droplet, unpacked droplet or SBOM file (no *.tgz, *.droplet, unpacked droplet or *.cdx.json/*.spdx.json below it)',
    );
  const st = file ? { mtime: file.mtime, mtimeMs: file.mtime.getTime() } : await stat(t.path);
  const result = await resultBeside(t.path, opts.listings);
  let loaded: LoadedTarget;
  let facts: SbomFacts | undefined;
  let detected: string | undefined;
  if (t.kind === 'sbom') {
    // parsed once: the shared reader's components and the facts only the fleet keeps come from the same document
    const text = (file?.bytes ?? (await readFile(t.path))).toString('utf8');
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (e) {
      throw new Error(`${t.path}: not JSON: ${(e as Error).message}`);
    }
    const sbom = readSbomJson(doc, t.path);
    facts = sbomFacts(doc);
    loaded = sbomFileTarget(t.path, sbom);
  } else {
    // the tarball read once: the SBOM's document (parsed once) and staging_info.yml come back with the components
    loaded = await loadTarget(t, { ...(opts.publicKey ? { publicKey: opts.publicKey } : {}), tmpDir: opts.tmpDir, keep: true });
    if (loaded.source === 'droplet-sbom' && loaded.sbomDoc !== undefined) facts = sbomFacts(loaded.sbomDoc);
    detected = detectedIn(
      t.kind === 'droplet' ? loaded.stagingInfo : await readFile(path.join(t.path, 'staging_info.yml'), 'utf8').catch(() => undefined),
    );
  }
  const fromSbom = loaded.source !== 'captured';
  const components = componentRows(loaded.components, facts, fromSbom);
  const buildpacks = buildpackRows(loaded, result, detected);
  const stack = facts?.stack;
  const stagedAt = facts?.timestamp ? new Date(Date.parse(facts.timestamp) || st.mtimeMs).toISOString() : st.mtime.toISOString();
  const errors = loaded.issues.filter((i) => i.severity === 'error');
  const record: DropletRecord = {
    digest,
    app: appOf(opts.names, result, facts, fallbackName(t.path)),
    ...(stack ? { stack } : {}),
    stagedAt,
    sbomDigest: contentDigest(components, buildpacks),
    ...(facts ? { sbomFormat: facts.format } : {}),
    sbomSource: loaded.source,
    signature: loaded.signature,
    sourceKind: t.kind as SourceKind,
    sourcePath: t.path,
    complete: (facts?.complete ?? true) && !errors.length,
    buildpacks,
    components,
  };
  return { record, notes: loaded.notes, problems: loaded.problems.map((p) => p.message) };
}
