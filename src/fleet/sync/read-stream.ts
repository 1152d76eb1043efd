// A droplet read once as it downloads (gzip-compressed tar, streamed): its checksum, bpx's SBOM and signature (or the
// CNB SBOMs under layers/sbom/launch/), and, for capture, only the files package managers read. Nothing else of the
// droplet is kept in memory or written to disk.
import { createHash, type Hash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { captureDir } from '../../catalog/index.ts';
import { SubjectLister } from '../../droplet/digest.ts';
import { forEachStreamEntry } from '../../droplet/read.ts';
import type { Component, Issue } from '../../model/index.ts';
import { type BuildpackRecord, readSbom } from '../../sbom/formats/index.ts';
import { isVerifierFile, verifyDigested } from '../../sbom/verify.ts';
import {
  CONFIG_IN_DROPLET,
  ENVELOPE_IN_DROPLET,
  isSbomInDroplet,
  onlySigned,
  pickSbom,
  trust,
  type TargetProblem,
} from '../../vuln/scan/targets.ts';
import { captureFilter, configBuildpacks } from '../../vuln/scan/capture-parts.ts';
import { type SbomFacts, sbomFacts } from '../ingest/sbom-facts.ts';

/** The download broke off (connection reset, stall): another attempt may succeed, unlike a corrupt tarball. */
export class DownloadInterrupted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadInterrupted';
  }
}

/** The bytes are intact but not what the API said they are: a checksum mismatch. */
export class ChecksumMismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChecksumMismatch';
  }
}

export interface Checksum {
  type: string;
  value: string;
}

export interface StreamReadOptions {
  /** PEM public key: verify bpx's signed SBOM (subjects hashed in the same pass); only a verified SBOM is trusted */
  publicKey?: Buffer;
  /** parent of the temporary folder holding the files a capture reads */
  tmpDir: string;
  lifecycle: 'buildpack' | 'cnb';
  /** the API's checksum: the download must match it */
  checksum?: Checksum;
}

export interface StreamRead {
  /** lowercase hex SHA-256 of the tarball as downloaded */
  sha256: string;
  bytes: number;
  source: 'droplet-sbom' | 'captured';
  signature: string;
  sbomPath?: string;
  facts?: SbomFacts;
  components: Component[];
  /** buildpack names and versions recorded in the droplet (bpx's SBOM, else deps/<idx>/config.yml) */
  buildpacks: BuildpackRecord[];
  /** staging_info.yml's detected_buildpack */
  detected?: string;
  issues: Issue[];
  problems: TargetProblem[];
  notes: string[];
}

// CNB layers' SBOMs (buildpacks spec, "Software Bill of Materials"): layers/sbom/launch/<buildpack>/[<layer>/]sbom.<ext>
// "layers/sbom/launch/paketo-buildpacks_node-engine/node/sbom.cdx.json" -> a CycloneDX document to read
const CNB_SBOM = /^(?:home\/vcap\/)?layers\/sbom\/launch\/(?:.+\/)?sbom\.(cdx|spdx)\.json$/;
const MAX_DOC_BYTES = 256 * 1024 * 1024;
const MAX_CAPTURE_FILE_BYTES = 64 * 1024 * 1024;

/** detected_buildpack of staging_info.yml (JSON, as the builder writes it). */
function detectedOf(text: string | undefined): string | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as { detected_buildpack?: unknown };
    return typeof v.detected_buildpack === 'string' && v.detected_buildpack.trim() ? v.detected_buildpack.trim() : undefined;
  } catch {
    return undefined;
  }
}

function verdict(r: ReturnType<typeof verifyDigested>): string {
  if (r.ok) return 'verified';
  if (r.failures.every((f) => f.code === 'no-signature')) return 'missing';
  return `invalid: ${r.failures.find((f) => f.code !== 'no-signature')?.message ?? 'verification failed'}`;
}

/** Reads the droplet from `body` to its end; throws DownloadInterrupted, ChecksumMismatch, or an Error for a corrupt tarball. */
export async function readDropletStream(body: Readable, label: string, opts: StreamReadOptions): Promise<StreamRead> {
  const issues: Issue[] = [];
  const sha256 = createHash('sha256');
  const want = opts.checksum?.type.toLowerCase();
  const other: Hash | undefined = want && want !== 'sha256' && ['sha1', 'sha512', 'md5'].includes(want) ? createHash(want) : undefined;
  let bytes = 0;
  let broken: Error | undefined;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      sha256.update(chunk);
      other?.update(chunk);
      cb(null, chunk);
    },
  });
  body.on('error', (e) => {
    broken = e;
    meter.destroy(e);
  });
  body.pipe(meter);

  const docs = new Map<string, Buffer>();
  const envelopes = new Map<string, Buffer>();
  const verifierFiles = new Map<string, Buffer>();
  const configs = new Map<string, string>();
  const cnbDocs = new Map<string, Buffer>();
  let stagingInfo: string | undefined;
  const lister = opts.publicKey && opts.lifecycle === 'buildpack' ? new SubjectLister(label) : undefined;
  const dir = await mkdtemp(path.join(opts.tmpDir, 'bpx-sync-'));
  const extracted = new Set<string>();
  try {
    try {
      await forEachStreamEntry(
        meter,
        label,
        async (entry, entryBody) => {
          const p = entry.path;
          const keepDoc =
            isSbomInDroplet(p) || ENVELOPE_IN_DROPLET.test(p) || (lister !== undefined && isVerifierFile(p)) || CNB_SBOM.test(p);
          const keepConfig = CONFIG_IN_DROPLET.test(p) || p === 'staging_info.yml';
          const capture = entry.type === 'file' && captureFilter(p);
          if (entry.type === 'file' && !entryBody) {
            // a hard link: the capture gets a copy of the earlier file it names
            if (capture && entry.linkTarget && extracted.has(entry.linkTarget)) {
              await mkdir(path.join(dir, path.dirname(p)), { recursive: true });
              await copyFile(path.join(dir, entry.linkTarget), path.join(dir, p)).then(
                () => extracted.add(p),
                () => {},
              );
            }
            await lister?.add(entry, null);
            return;
          }
          if (!entryBody) return void (await lister?.add(entry, null));
          const hash = lister && SubjectLister.wants(entry) ? createHash('sha256') : undefined;
          const limit = keepConfig ? 1024 * 1024 : MAX_DOC_BYTES;
          const chunks: Buffer[] | undefined = (keepDoc || keepConfig) && entry.size <= limit ? [] : undefined;
          if ((keepDoc || keepConfig) && !chunks)
            issues.push({ path: label, severity: 'error', message: `${p}: ${entry.size} bytes, over ${limit}; not read` });
          let out: ReturnType<typeof createWriteStream> | undefined;
          if (capture && entry.size <= MAX_CAPTURE_FILE_BYTES) {
            try {
              await mkdir(path.join(dir, path.dirname(p)), { recursive: true });
              const ws = createWriteStream(path.join(dir, p), { mode: 0o600 });
              await new Promise<void>((res, rej) => ws.once('open', () => res()).once('error', rej));
              out = ws;
            } catch (e) {
              issues.push({ path: label, severity: 'warning', message: `${p}: not captured (${(e as Error).message})` });
            }
          } else if (capture)
            issues.push({
              path: label,
              severity: 'warning',
              message: `${p}: file of ${entry.size} bytes is over the limit of ${MAX_CAPTURE_FILE_BYTES}; not captured`,
            });
          if (!hash && !chunks && !out) return;
          for await (const c of entryBody) {
            const chunk = c as Buffer;
            hash?.update(chunk);
            chunks?.push(chunk);
            if (out && !out.write(chunk)) await new Promise<void>((res, rej) => out!.once('drain', res).once('error', rej));
          }
          if (out) {
            await new Promise<void>((res, rej) => out!.end((e?: Error | null) => (e ? rej(e) : res())));
            extracted.add(p);
          }
          if (chunks) {
            const buf = Buffer.concat(chunks);
            if (isSbomInDroplet(p)) docs.set(p, buf);
            if (ENVELOPE_IN_DROPLET.test(p)) envelopes.set(p, buf);
            if (lister && isVerifierFile(p)) verifierFiles.set(p, buf);
            if (CNB_SBOM.test(p)) cnbDocs.set(p, buf);
            const m = CONFIG_IN_DROPLET.exec(p);
            if (m) configs.set(m[1]!, buf.toString('utf8'));
            if (p === 'staging_info.yml') stagingInfo = buf.toString('utf8');
          }
          await lister?.add(entry, null, hash?.digest('hex'));
        },
        { onIssue: (i) => issues.push(i) },
      );
    } catch (e) {
      if (broken) throw new DownloadInterrupted(`${label}: the download broke off after ${bytes} bytes: ${broken.message}`);
      throw e;
    }
    if (broken) throw new DownloadInterrupted(`${label}: the download broke off after ${bytes} bytes: ${(broken as Error).message}`);
    const hex = sha256.digest('hex');
    if (opts.checksum) {
      const got = want === 'sha256' ? hex : other?.digest('hex');
      if (got === undefined)
        issues.push({ path: label, severity: 'warning', message: `checksum type ${opts.checksum.type} is not one bpx checks` });
      else if (got !== opts.checksum.value.toLowerCase()) {
        throw new ChecksumMismatch(
          `${label}: checksum mismatch: the API says ${want}:${opts.checksum.value}, the ${bytes} bytes downloaded are ${want}:${got}`,
        );
      }
    }
    const detected = detectedOf(stagingInfo);
    const base = { sha256: hex, bytes, ...(detected ? { detected } : {}) };

    // bpx's own SBOM (buildpack lifecycle) or the CNB layers' SBOMs: trusted as `fleet add` trusts them
    const hasSbom = opts.lifecycle === 'cnb' ? cnbDocs.size > 0 : !!pickSbom(docs);
    let signature = 'not-checked';
    if (opts.publicKey) {
      if (!hasSbom) signature = 'missing';
      else if (opts.lifecycle === 'cnb') signature = 'missing';
      else signature = verdict(verifyDigested(opts.publicKey, lister!.finish(), [...lister!.issues, ...issues], verifierFiles));
    }
    const { useSbom, problems, notes } = trust(signature, hasSbom, {
      tmpDir: opts.tmpDir,
      ...(opts.publicKey ? { publicKey: opts.publicKey } : {}),
    });
    if (useSbom && opts.lifecycle === 'cnb') {
      const components: Component[] = [];
      const seen = new Set<string>();
      let facts: SbomFacts | undefined;
      for (const p of [...cnbDocs.keys()].sort()) {
        const text = cnbDocs.get(p)!.toString('utf8');
        const s = readSbom(text, `${label}!${p}`);
        issues.push(...s.issues);
        for (const c of s.components) if (!seen.has(c.purl)) (seen.add(c.purl), components.push(c));
        let doc: unknown;
        try {
          doc = JSON.parse(text);
        } catch {
          continue;
        }
        const f = sbomFacts(doc);
        if (!f) continue;
        if (!facts) facts = { ...f, extra: new Map(f.extra) };
        else for (const [k, v] of f.extra) if (!facts.extra.has(k)) facts.extra.set(k, v);
      }
      return {
        ...base,
        source: 'droplet-sbom',
        signature,
        sbomPath: 'layers/sbom/launch/',
        ...(facts ? { facts } : {}),
        components,
        buildpacks: [],
        issues,
        problems,
        notes,
      };
    }
    const chosen = useSbom ? pickSbom(signature === 'verified' ? onlySigned(docs, envelopes) : docs) : undefined;
    if (chosen) {
      const text = docs.get(chosen)!.toString('utf8');
      const s = readSbom(text, `${label}!${chosen}`);
      let facts: SbomFacts | undefined;
      try {
        facts = sbomFacts(JSON.parse(text));
      } catch {
        facts = undefined;
      }
      return {
        ...base,
        source: 'droplet-sbom',
        signature,
        sbomPath: chosen,
        ...(facts ? { facts } : {}),
        components: s.components,
        buildpacks: s.buildpacks.length ? s.buildpacks : configBuildpacks(configs),
        issues: [...issues, ...s.issues],
        problems,
        notes,
      };
    }
    const cap = await captureDir(dir);
    const rel = (i: Issue): Issue => ({ ...i, path: i.path.startsWith(dir) ? `${label}!${i.path.slice(dir.length + 1)}` : i.path });
    return {
      ...base,
      source: 'captured',
      signature,
      components: cap.components,
      buildpacks: configBuildpacks(configs),
      issues: [...issues, ...cap.issues.map(rel)],
      problems,
      notes,
    };
  } finally {
    body.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
