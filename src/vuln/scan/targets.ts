// Scan targets: droplet tarballs (streamed), unpacked droplet dirs, folders searched for droplets and SBOM files, app dirs.
import { mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type { Component, Issue } from '../../model/index.ts';
import {
  type BuildpackRecord,
  FORMAT_IDS,
  FORMATS,
  formatOfPredicate,
  parseSbomText,
  readSbom,
  readSbomJson,
} from '../../sbom/formats/index.ts';
import { FILE_NAMES } from '../../sbom/outputs.ts';
import type { VerifyResult } from '../../sbom/verify.ts';

export type TargetKind = 'droplet' | 'droplet-dir' | 'sbom' | 'app-dir' | 'unreadable';
export interface Target {
  path: string;
  kind: TargetKind;
  /** why the path given cannot be a target (kind 'unreadable') */
  error?: string;
}

export type SbomSource = 'droplet-sbom' | 'captured' | 'file';

/** Why a target that was read still fails: its SBOM did not verify (or is unsigned when a signature is required), or nothing was found to check. */
export interface TargetProblem {
  kind: 'signature' | 'empty';
  message: string;
}

export interface LoadedTarget {
  target: string;
  source: SbomSource;
  /** 'verified' | 'missing' | 'invalid: <why>' | 'not-checked' */
  signature: string;
  components: Component[];
  buildpacks: BuildpackRecord[];
  issues: Issue[];
  /** checks the target failed: the caller fails it */
  problems: TargetProblem[];
  /** what the reader decided and the user should know (an SBOM not trusted, so the content was captured instead) */
  notes: string[];
  /** with LoadOptions.keep: the parsed document of the SBOM the components were read from */
  sbomDoc?: unknown;
  /** with LoadOptions.keep: a droplet's staging_info.yml, as text */
  stagingInfo?: string;
}

const DROPLET_RE = /\.(tgz|tar\.gz|droplet)$/i;
const SBOM_FILE_RE = /\.(cdx|spdx|bom)\.json$|^(bom|sbom)\.json$/i;
// where bpx puts the SBOM in a droplet (docs/sbom-and-verify.md): app/.bpx/ when last, else deps/<idx>/bpx/
const IN_OUTPUT_DIR = /^(app\/\.bpx|deps\/[^/]+\/bpx)\/([^/]+)$/;
const SBOM_FILES = FORMAT_IDS.map((f) => FORMATS[f].file);
export const isSbomInDroplet = (p: string): boolean => SBOM_FILES.includes(IN_OUTPUT_DIR.exec(p)?.[2] ?? '');
export const CONFIG_IN_DROPLET = /^deps\/([^/]+)\/config\.yml$/;
// bpx's DSSE envelopes beside the SBOMs (docs/sbom-and-verify.md): one in-toto Statement per line
export const ENVELOPE_IN_DROPLET = /^(app\/\.bpx|deps\/[^/]+\/bpx)\/sbom\.intoto\.jsonl$/;
const MAX_SBOM_BYTES = 256 * 1024 * 1024;
// folders a search for droplets never enters: installed packages and version control (an app's own tarballs live there)
const NOT_SEARCHED = new Set(['node_modules', '.git', '.hg', '.svn']);
export const NOTHING_FOUND =
  'no droplet, SBOM or package found (looked for *.tgz and *.droplet files, unpacked droplets, *.cdx.json and *.spdx.json files, and package manager files)';

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

const isDir = (p: string) =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );
const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );

/** An unpacked droplet: `staging_info.yml` at its root, or both `app/` and `deps/` (an app's own `app/` folder alone is not one). */
async function isDropletDir(p: string): Promise<boolean> {
  return (await isFile(join(p, 'staging_info.yml'))) || ((await isDir(join(p, 'app'))) && (await isDir(join(p, 'deps'))));
}

/**
 * Droplets, unpacked droplets and SBOM files anywhere below `dir`, in path order (links to folders are not followed).
 * A folder below `dir` that cannot be listed is told to `onSkipped` and passed over; `dir` itself must be listable.
 */
async function findTargets(dir: string, out: Target[], onSkipped: (dir: string, why: string) => void): Promise<void> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const d of entries) {
    const p = join(dir, d.name);
    if (d.isDirectory()) {
      if (NOT_SEARCHED.has(d.name)) continue;
      if (await isDropletDir(p)) out.push({ path: p, kind: 'droplet-dir' });
      else
        await findTargets(p, out, onSkipped).catch((e: NodeJS.ErrnoException) =>
          onSkipped(p, `cannot be searched (${e.code ?? e.message})`),
        );
      continue;
    }
    if (!d.isFile() && !(d.isSymbolicLink() && (await isFile(p)))) continue;
    if (DROPLET_RE.test(d.name)) out.push({ path: p, kind: 'droplet' });
    else if (SBOM_FILE_RE.test(d.name)) out.push({ path: p, kind: 'sbom' });
  }
}

/**
 * Expands the command line into targets, in order: a file is a droplet or an SBOM; an unpacked droplet is one target; any
 * other directory gives every droplet, unpacked droplet and SBOM file found below it, or, when it holds none, itself as
 * an app directory to capture. A path that cannot be a target is kept as an 'unreadable' target with its error.
 * `onSkipped` hears of each folder directly inside a searched one that held nothing to scan (an app without its droplet),
 * and of folders that could not be searched.
 */
export async function expandTargets(paths: readonly string[], onSkipped: (dir: string, why: string) => void = () => {}): Promise<Target[]> {
  const targets: Target[] = [];
  for (const p of paths) {
    const st = await stat(p).catch(() => null);
    if (!st) {
      targets.push({ path: p, kind: 'unreadable', error: 'no such file or directory' });
      continue;
    }
    if (st.isFile()) {
      if (DROPLET_RE.test(p) || (!p.endsWith('.json') && (await isGzip(p)))) targets.push({ path: p, kind: 'droplet' });
      else if (p.endsWith('.json')) targets.push({ path: p, kind: 'sbom' });
      else targets.push({ path: p, kind: 'unreadable', error: 'neither a droplet tarball (.tgz, gzip) nor an SBOM (.json)' });
      continue;
    }
    if (await isDropletDir(p)) {
      targets.push({ path: p, kind: 'droplet-dir' });
      continue;
    }
    const found: Target[] = [];
    const told = new Set<string>();
    try {
      await findTargets(p, found, (dir, why) => (told.add(dir), onSkipped(dir, why)));
    } catch (e) {
      targets.push({ path: p, kind: 'unreadable', error: `cannot search: ${(e as Error).message}` });
      continue;
    }
    if (!found.length) {
      targets.push({ path: p, kind: 'app-dir' });
      continue;
    }
    targets.push(...found);
    const subdirs = (await readdir(p, { withFileTypes: true }).catch(() => [])).filter(
      (d) => d.isDirectory() && !NOT_SEARCHED.has(d.name) && !d.name.startsWith('.'),
    );
    for (const d of subdirs.map((x) => join(p, x.name)).sort()) {
      if (!told.has(d) && !found.some((t) => t.path.startsWith(`${d}/`) || t.path === d))
        onSkipped(d, 'no droplet, unpacked droplet or SBOM file in it');
    }
  }
  return targets;
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

// app/.bpx first (the SBOM of the last buildpack), then deps/<idx>/bpx by index; formats in FORMATS order (CycloneDX first)
export function pickSbom(found: Map<string, Buffer>): string | undefined {
  return [...found.keys()].sort((a, b) => {
    const rank = (p: string) => (p.startsWith('app/') ? 0 : 1) * SBOM_FILES.length + SBOM_FILES.indexOf(p.slice(p.lastIndexOf('/') + 1));
    return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
  })[0];
}

// The package catalog and the config.yml reader: loaded for a droplet or folder, never for a scan of SBOM files.
const captureCode = () => import('./capture-parts.ts');

/**
 * The SBOM files the droplet's envelopes sign (`<dir>/sbom.cdx.json` for a CycloneDX predicate, `sbom.spdx.json` for
 * SPDX). Once the droplet verifies, each of these equals its signed predicate; any other SBOM file beside them (one
 * planted in app/.bpx, outside the signed app/ digest) is not covered and must not be read.
 */
function signedSboms(envelopes: ReadonlyMap<string, Buffer>): Set<string> {
  const out = new Set<string>();
  for (const [p, buf] of envelopes) {
    const dir = p.slice(0, p.lastIndexOf('/'));
    for (const line of buf.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const env = JSON.parse(line) as { payload?: unknown };
        const st = JSON.parse(Buffer.from(String(env.payload), 'base64').toString('utf8')) as { predicateType?: unknown };
        const format = formatOfPredicate(st.predicateType);
        if (format) out.add(`${dir}/${FORMATS[format].file}`);
      } catch {
        // not an envelope: verification has already said so
      }
    }
  }
  return out;
}

/** `sboms` without the files no verified envelope covers. */
export function onlySigned(sboms: ReadonlyMap<string, Buffer>, envelopes: ReadonlyMap<string, Buffer>): Map<string, Buffer> {
  const signed = signedSboms(envelopes);
  return new Map([...sboms].filter(([p]) => signed.has(p)));
}

async function signatureOf(path: string, hasSbom: boolean, key: Buffer | undefined): Promise<string> {
  return signatureFrom(hasSbom, key, async () => (await import('../../sbom/verify.ts')).verifyDroplet(path, key!));
}

/**
 * What reading a droplet tarball takes (node-tar, digests, verification), loaded with the first droplet: a scan of
 * SBOM files or app folders never compiles it.
 */
const dropletCode = () => Promise.all([import('../../droplet/read.ts'), import('../../droplet/digest.ts'), import('../../sbom/verify.ts')]);

/** The report's signature from a verification (made only when there is a key and an SBOM to trust). */
async function signatureFrom(
  hasSbom: boolean,
  key: Buffer | undefined,
  verify: () => Promise<VerifyResult> | VerifyResult,
): Promise<string> {
  if (!key) return 'not-checked';
  if (!hasSbom) return 'missing';
  try {
    const r = await verify();
    if (r.ok) return 'verified';
    // missing only when nothing at all is signed; an envelope that is there and fails is invalid
    if (r.failures.every((f) => f.code === 'no-signature')) return 'missing';
    return `invalid: ${r.failures.find((f) => f.code !== 'no-signature')?.message ?? 'verification failed'}`;
  } catch (e) {
    return `invalid: ${(e as Error).message}`;
  }
}

export interface LoadOptions {
  /** PEM public key: check the droplet's attestation (signature 'not-checked' without it); only a verified SBOM is trusted */
  publicKey?: Buffer;
  /** a target without a verified signature fails (a 'signature' problem) */
  requireSignature?: boolean;
  /** parent for temporary extraction dirs (removed afterwards) */
  tmpDir: string;
  /**
   * keep what `fleet add` reads besides the components (LoadedTarget.sbomDoc, stagingInfo), so that it neither reads a
   * droplet tarball twice nor parses its SBOM twice
   */
  keep?: boolean;
}

/**
 * Whether the SBOM a droplet carries is used, and what the target is told. With a key, only a verified SBOM is trusted:
 * one that does not verify, or is not signed, says nothing reliable about the droplet, so its content is captured instead.
 */
export function trust(
  signature: string,
  hasSbom: boolean,
  opts: LoadOptions,
): { useSbom: boolean; problems: TargetProblem[]; notes: string[] } {
  const problems: TargetProblem[] = [];
  const notes: string[] = [];
  if (!opts.publicKey) return { useSbom: hasSbom, problems, notes };
  if (signature === 'verified') return { useSbom: true, problems, notes };
  const instead = hasSbom
    ? "the droplet's SBOM is not trusted: its content was captured and scanned instead"
    : 'its content was captured and scanned';
  if (signature.startsWith('invalid')) problems.push({ kind: 'signature', message: `signature ${signature}; ${instead}` });
  else if (opts.requireSignature)
    problems.push({ kind: 'signature', message: `no signature, and --require-signature was given; ${instead}` });
  else if (hasSbom) notes.push(`no signature: ${instead}`);
  return { useSbom: false, problems, notes };
}

/** An SBOM file as a target: its components and buildpacks as written; a file carries no signature to check. */
export function sbomFileTarget(path: string, sbom: ReturnType<typeof readSbomJson>, problems: TargetProblem[] = []): LoadedTarget {
  return {
    target: path,
    source: 'file',
    signature: 'not-checked',
    components: sbom.components,
    buildpacks: sbom.buildpacks,
    issues: sbom.issues,
    problems,
    notes: [],
  };
}

/** A target whose components were captured from its files: no SBOM of its own was read (or trusted). */
function capturedTarget(
  target: string,
  signature: string,
  components: Component[],
  buildpacks: BuildpackRecord[],
  issues: Issue[],
  trusted: Pick<LoadedTarget, 'problems' | 'notes'>,
): LoadedTarget {
  return { target, source: 'captured', signature, components, buildpacks, issues, problems: trusted.problems, notes: trusted.notes };
}

/** A droplet's target read from its own SBOM (`label` names it in messages); config.yml's buildpacks when it names none. */
async function fromDropletSbom(
  path: string,
  label: string,
  text: Buffer,
  signature: string,
  configs: Map<string, string>,
  trusted: Pick<LoadedTarget, 'problems' | 'notes'>,
  keep: boolean,
  issues: Issue[] = [],
): Promise<LoadedTarget> {
  const doc = parseSbomText(text.toString('utf8'), label);
  const sbom = readSbomJson(doc, label);
  return {
    target: path,
    source: 'droplet-sbom',
    signature,
    components: sbom.components,
    buildpacks: sbom.buildpacks.length ? sbom.buildpacks : (await captureCode()).configBuildpacks(configs),
    issues: [...issues, ...sbom.issues],
    problems: trusted.problems,
    notes: trusted.notes,
    ...(keep ? { sbomDoc: doc } : {}),
  };
}

async function loadDroplet(path: string, opts: LoadOptions): Promise<LoadedTarget> {
  const [{ extractDroplet, forEachEntry }, { SubjectLister }, { isVerifierFile, verifyDigested }] = await dropletCode();
  const issues: Issue[] = [];
  const sboms = new Map<string, Buffer>();
  const envelopes = new Map<string, Buffer>();
  const configs = new Map<string, string>();
  let stagingInfo: string | undefined;
  // With a key, the subject digests and bpx's own files the signature is checked against are gathered in the same
  // pass (as verifyDroplet's digestDropletTarball gathers them): the droplet is read once, not once more to verify it.
  const lister = opts.publicKey ? new SubjectLister(path) : undefined;
  const verifierFiles = new Map<string, Buffer>();
  await forEachEntry(
    path,
    async (entry, body) => {
      // a body read for the verifier is read once, and what the scan reads of it comes from the same bytes
      let read: Buffer | undefined;
      if (lister) {
        if (body && isVerifierFile(entry.path)) {
          if (entry.size > MAX_SBOM_BYTES)
            lister.issues.push({
              path,
              severity: 'error',
              message: `${entry.path}: ${entry.size} bytes, over ${MAX_SBOM_BYTES}; not read`,
            });
          else verifierFiles.set(entry.path, (read = await readBody(body, Infinity, `${path}!${entry.path}`)));
        } else await lister.add(entry, body);
      }
      if (entry.type !== 'file' || !body) return;
      const content = async (limit: number) => {
        if (read && read.length > limit) throw new Error(`${path}!${entry.path}: larger than ${limit} bytes`);
        return (read ??= await readBody(body, limit, `${path}!${entry.path}`));
      };
      if (opts.keep && entry.path === 'staging_info.yml' && entry.size <= MAX_SBOM_BYTES)
        stagingInfo = (await content(MAX_SBOM_BYTES)).toString('utf8');
      if (isSbomInDroplet(entry.path)) sboms.set(entry.path, await content(MAX_SBOM_BYTES));
      if (ENVELOPE_IN_DROPLET.test(entry.path)) envelopes.set(entry.path, await content(MAX_SBOM_BYTES));
      const m = CONFIG_IN_DROPLET.exec(entry.path);
      if (m) configs.set(m[1]!, (await content(1024 * 1024)).toString('utf8'));
    },
    {
      onIssue: (i) => {
        issues.push(i);
        lister?.issues.push(i);
      },
    },
  );
  const signature = await signatureFrom(!!pickSbom(sboms), opts.publicKey, () =>
    verifyDigested(opts.publicKey!, lister!.finish(), lister!.issues, verifierFiles),
  );
  const { useSbom, problems, notes } = trust(signature, !!pickSbom(sboms), opts);
  // verified: only an SBOM the signature covers
  const chosen = pickSbom(signature === 'verified' ? onlySigned(sboms, envelopes) : sboms);
  const kept = opts.keep && stagingInfo !== undefined ? { stagingInfo } : {};
  if (chosen && useSbom) {
    const r = await fromDropletSbom(
      path,
      `${path}!${chosen}`,
      sboms.get(chosen)!,
      signature,
      configs,
      { problems, notes },
      opts.keep === true,
      issues,
    );
    return { ...r, ...kept };
  }
  const { captureDir, captureFilter, configBuildpacks } = await captureCode();
  const dir = await mkdtemp(join(opts.tmpDir, 'bpx-scan-'));
  try {
    const ex = await extractDroplet(path, dir, { filter: captureFilter, maxFileBytes: 64 * 1024 * 1024 });
    const cap = await captureDir(dir);
    const rel = (i: Issue): Issue => ({ ...i, path: i.path.startsWith(dir) ? `${path}!${i.path.slice(dir.length + 1)}` : i.path });
    const all = [...issues, ...ex.issues, ...cap.issues.map(rel)];
    return { ...capturedTarget(path, signature, cap.components, configBuildpacks(configs), all, { problems, notes }), ...kept };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function loadDropletDir(path: string, opts: LoadOptions): Promise<LoadedTarget> {
  const sboms = new Map<string, Buffer>();
  const configs = new Map<string, string>();
  const candidates = SBOM_FILES.map((f) => `app/.bpx/${f}`);
  const deps = await readdir(join(path, 'deps')).catch(() => [] as string[]);
  for (const idx of deps.sort()) {
    candidates.push(...SBOM_FILES.map((f) => `deps/${idx}/bpx/${f}`));
    const cfg = await readFile(join(path, 'deps', idx, 'config.yml'), 'utf8').catch(() => undefined);
    if (cfg !== undefined) configs.set(idx, cfg);
  }
  for (const c of candidates) {
    const b = await readFile(join(path, c)).catch(() => undefined);
    if (b) sboms.set(c, b);
  }
  const envelopes = new Map<string, Buffer>();
  for (const dir of ['app/.bpx', ...deps.map((idx) => `deps/${idx}/bpx`)]) {
    const b = await readFile(join(path, dir, FILE_NAMES.attestation)).catch(() => undefined);
    if (b) envelopes.set(`${dir}/${FILE_NAMES.attestation}`, b);
  }
  const signature = await signatureOf(path, !!pickSbom(sboms), opts.publicKey);
  const { useSbom, problems, notes } = trust(signature, !!pickSbom(sboms), opts);
  // verified: only an SBOM the signature covers
  const chosen = pickSbom(signature === 'verified' ? onlySigned(sboms, envelopes) : sboms);
  if (chosen && useSbom)
    return fromDropletSbom(path, join(path, chosen), sboms.get(chosen)!, signature, configs, { problems, notes }, opts.keep === true);
  const { captureDir, configBuildpacks } = await captureCode();
  const cap = await captureDir(path);
  return capturedTarget(path, signature, cap.components, configBuildpacks(configs), cap.issues, { problems, notes });
}

/** Reads one target into components (throws an Error naming the target when it cannot be read at all). */
export async function loadTarget(t: Target, opts: LoadOptions): Promise<LoadedTarget> {
  switch (t.kind) {
    case 'unreadable':
      throw new Error(t.error ?? 'cannot be read');
    case 'droplet':
      return loadDroplet(t.path, opts);
    case 'droplet-dir':
      return loadDropletDir(t.path, opts);
    case 'sbom': {
      const sbom = readSbom(await readFile(t.path, 'utf8'), t.path);
      const problems: TargetProblem[] = opts.requireSignature
        ? [
            {
              kind: 'signature',
              message: 'an SBOM file carries no signature to check, and --require-signature was given: scan the droplet it came from',
            },
          ]
        : [];
      return sbomFileTarget(t.path, sbom, problems);
    }
    case 'app-dir': {
      const cap = await (await captureCode()).captureDir(t.path);
      const problems: TargetProblem[] = [];
      if (!cap.components.length) problems.push({ kind: 'empty', message: NOTHING_FOUND });
      if (opts.requireSignature)
        problems.push({ kind: 'signature', message: 'an app directory carries no signature, and --require-signature was given' });
      return capturedTarget(t.path, opts.publicKey ? 'missing' : 'not-checked', cap.components, [], cap.issues, { problems, notes: [] });
    }
  }
}
