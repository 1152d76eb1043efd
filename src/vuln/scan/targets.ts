// Scan targets: droplet tarballs (streamed), unpacked droplet dirs, directories of droplets, SBOM files, app dirs.
import { mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import YAML from 'yaml';
import { captureDir } from '../../catalog/index.ts';
import { managers } from '../../catalog/registry.ts';
import { extractDroplet, forEachEntry } from '../../droplet/read.ts';
import type { Component, Issue } from '../../model/index.ts';
import { verifyDroplet } from '../../sbom/verify.ts';
import { type BuildpackRecord, buildpackFromConfig, readSbom } from './sbom-input.ts';

export type TargetKind = 'droplet' | 'droplet-dir' | 'sbom' | 'app-dir';
export interface Target {
  path: string;
  kind: TargetKind;
}

export type SbomSource = 'droplet-sbom' | 'captured' | 'file';

export interface LoadedTarget {
  target: string;
  source: SbomSource;
  /** 'verified' | 'missing' | 'invalid: <why>' | 'not-checked' */
  signature: string;
  components: Component[];
  buildpacks: BuildpackRecord[];
  issues: Issue[];
}

const DROPLET_RE = /\.(tgz|tar\.gz|droplet)$/i;
const SBOM_FILE_RE = /\.(cdx|spdx|bom)\.json$|^(bom|sbom)\.json$/i;
// where bpx puts the SBOM in a droplet (docs/sbom-and-verify.md): app/.bpx/ when last, else deps/<idx>/bpx/
const SBOM_IN_DROPLET = /^(app\/\.bpx|deps\/[^/]+\/bpx)\/sbom\.(cdx|spdx)\.json$/;
const CONFIG_IN_DROPLET = /^deps\/([^/]+)\/config\.yml$/;
const MAX_SBOM_BYTES = 256 * 1024 * 1024;

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    await fh.read(b, 0, 2, 0);
    return b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

const exists = (p: string) => stat(p).then(() => true, () => false);

/** Expands the command line into targets (a directory of droplets gives one target per droplet or SBOM file in it). */
export async function expandTargets(paths: readonly string[]): Promise<{ targets: Target[]; errors: string[] }> {
  const targets: Target[] = [];
  const errors: string[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) {
      errors.push(`${p}: no such file or directory`);
      continue;
    }
    if (st.isFile()) {
      if (DROPLET_RE.test(p) || (!p.endsWith('.json') && (await isGzip(p)))) targets.push({ path: p, kind: 'droplet' });
      else if (p.endsWith('.json')) targets.push({ path: p, kind: 'sbom' });
      else errors.push(`${p}: neither a droplet tarball (.tgz, gzip) nor an SBOM (.json)`);
      continue;
    }
    if ((await exists(join(p, 'app'))) || (await exists(join(p, 'staging_info.yml')))) {
      targets.push({ path: p, kind: 'droplet-dir' });
      continue;
    }
    const inside = (await readdir(p, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name).sort();
    const found = inside.filter((n) => DROPLET_RE.test(n) || SBOM_FILE_RE.test(n));
    if (found.length) for (const n of found) targets.push({ path: join(p, n), kind: DROPLET_RE.test(n) ? 'droplet' : 'sbom' });
    else targets.push({ path: p, kind: 'app-dir' });
  }
  return { targets, errors };
}

async function readBody(body: Readable, limit: number, what: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += (c as Buffer).length;
    if (n > limit) throw new Error(`${what}: larger than ${limit} bytes`);
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}

// app/.bpx first (the SBOM of the last buildpack), then deps/<idx>/bpx by index; CycloneDX before SPDX
function pickSbom(found: Map<string, Buffer>): string | undefined {
  return [...found.keys()].sort((a, b) => {
    const rank = (p: string) => (p.startsWith('app/') ? 0 : 1) * 2 + (p.endsWith('.cdx.json') ? 0 : 1);
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  })[0];
}

function configBuildpacks(configs: Map<string, string>): BuildpackRecord[] {
  return [...configs.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([idx, text]) => buildpackFromConfig(text, idx, (t) => YAML.parse(t, { schema: 'core' })))
    .filter((b): b is BuildpackRecord => !!b && !!(b.name || b.version));
}

/** Files the catalog reads (so capturing an extracted droplet never writes its binaries to disk). */
const captureFilter = (p: string): boolean => CONFIG_IN_DROPLET.test(p) || managers.some((m) => m.matches(p));

async function signatureOf(path: string, hasSbom: boolean, key: Buffer | undefined): Promise<string> {
  if (!key) return 'not-checked';
  if (!hasSbom) return 'missing';
  try {
    const r = await verifyDroplet(path, key);
    if (r.ok) return 'verified';
    if (r.failures.some((f) => f.code === 'no-signature')) return 'missing';
    return `invalid: ${r.failures[0]?.message ?? 'verification failed'}`;
  } catch (e) {
    return `invalid: ${(e as Error).message}`;
  }
}

export interface LoadOptions {
  /** PEM public key: check the droplet's attestation (signature 'not-checked' without it) */
  publicKey?: Buffer;
  /** parent for temporary extraction dirs (removed afterwards) */
  tmpDir: string;
}

async function loadDroplet(path: string, opts: LoadOptions): Promise<LoadedTarget> {
  const issues: Issue[] = [];
  const sboms = new Map<string, Buffer>();
  const configs = new Map<string, string>();
  await forEachEntry(
    path,
    async (entry, body) => {
      if (entry.type !== 'file' || !body) return;
      if (SBOM_IN_DROPLET.test(entry.path)) sboms.set(entry.path, await readBody(body, MAX_SBOM_BYTES, `${path}!${entry.path}`));
      const m = CONFIG_IN_DROPLET.exec(entry.path);
      if (m) configs.set(m[1]!, (await readBody(body, 1024 * 1024, `${path}!${entry.path}`)).toString('utf8'));
    },
    { onIssue: (i) => issues.push(i) },
  );
  const chosen = pickSbom(sboms);
  const signature = await signatureOf(path, !!chosen, opts.publicKey);
  if (chosen) {
    const sbom = readSbom(sboms.get(chosen)!.toString('utf8'), `${path}!${chosen}`);
    return {
      target: path,
      source: 'droplet-sbom',
      signature,
      components: sbom.components,
      buildpacks: sbom.buildpacks.length ? sbom.buildpacks : configBuildpacks(configs),
      issues: [...issues, ...sbom.issues],
    };
  }
  const dir = await mkdtemp(join(opts.tmpDir, 'bpx-scan-'));
  try {
    const ex = await extractDroplet(path, dir, { filter: captureFilter, maxFileBytes: 64 * 1024 * 1024 });
    const cap = await captureDir(dir);
    const rel = (i: Issue): Issue => ({ ...i, path: i.path.startsWith(dir) ? `${path}!${i.path.slice(dir.length + 1)}` : i.path });
    return { target: path, source: 'captured', signature, components: cap.components, buildpacks: configBuildpacks(configs), issues: [...issues, ...ex.issues, ...cap.issues.map(rel)] };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function loadDropletDir(path: string, opts: LoadOptions): Promise<LoadedTarget> {
  const sboms = new Map<string, Buffer>();
  const configs = new Map<string, string>();
  const candidates = ['app/.bpx/sbom.cdx.json', 'app/.bpx/sbom.spdx.json'];
  const deps = await readdir(join(path, 'deps')).catch(() => [] as string[]);
  for (const idx of deps.sort()) {
    candidates.push(`deps/${idx}/bpx/sbom.cdx.json`, `deps/${idx}/bpx/sbom.spdx.json`);
    const cfg = await readFile(join(path, 'deps', idx, 'config.yml'), 'utf8').catch(() => undefined);
    if (cfg !== undefined) configs.set(idx, cfg);
  }
  for (const c of candidates) {
    const b = await readFile(join(path, c)).catch(() => undefined);
    if (b) sboms.set(c, b);
  }
  const chosen = pickSbom(sboms);
  const signature = await signatureOf(path, !!chosen, opts.publicKey);
  if (chosen) {
    const sbom = readSbom(sboms.get(chosen)!.toString('utf8'), join(path, chosen));
    return { target: path, source: 'droplet-sbom', signature, components: sbom.components, buildpacks: sbom.buildpacks.length ? sbom.buildpacks : configBuildpacks(configs), issues: sbom.issues };
  }
  const cap = await captureDir(path);
  return { target: path, source: 'captured', signature, components: cap.components, buildpacks: configBuildpacks(configs), issues: cap.issues };
}

/** Reads one target into components (throws an Error naming the target when it cannot be read at all). */
export async function loadTarget(t: Target, opts: LoadOptions): Promise<LoadedTarget> {
  switch (t.kind) {
    case 'droplet':
      return loadDroplet(t.path, opts);
    case 'droplet-dir':
      return loadDropletDir(t.path, opts);
    case 'sbom': {
      const sbom = readSbom(await readFile(t.path, 'utf8'), t.path);
      return { target: t.path, source: 'file', signature: 'not-checked', components: sbom.components, buildpacks: sbom.buildpacks, issues: sbom.issues };
    }
    case 'app-dir': {
      const cap = await captureDir(t.path);
      return { target: t.path, source: 'captured', signature: opts.publicKey ? 'missing' : 'not-checked', components: cap.components, buildpacks: [], issues: cap.issues };
    }
  }
}
