// Verifying a droplet's bpx attestation: DSSE signature, in-toto subjects against recomputed tree digests, SBOM files against predicates.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { digestDropletDir, digestDropletTarball, digestLines, type SubjectDigest } from '../droplet/digest.ts';
import type { Issue } from '../model/index.ts';
import { stableJson } from './ids.ts';
import { FORMATS, formatOfPredicate } from './formats/index.ts';
import { FILE_NAMES, parseTree } from './outputs.ts';
import { envelopeShapeError, preAuthEncoding, type DsseEnvelope } from './sign/dsse.ts';
import { loadPublicKey, verifySignature } from './sign/keys.ts';
import { STATEMENT_TYPE, type Statement } from './sign/statement.ts';

export type FailureCode =
  | 'no-signature'
  | 'bad-envelope'
  | 'wrong-key'
  | 'bad-statement'
  | 'sbom-tampered'
  | 'sbom-missing'
  | 'subject-changed'
  | 'subject-missing'
  | 'subject-unsigned'
  | 'unreadable';

export interface FileChanges {
  added: string[];
  removed: string[];
  changed: string[];
}

export interface VerifyFailure {
  code: FailureCode;
  message: string;
  /** the envelope file (droplet path) concerned */
  envelope?: string;
  subject?: string;
  files?: FileChanges;
}

export interface VerifyResult {
  ok: boolean;
  envelopes: string[];
  subjects: Array<{ name: string; signed: string; actual?: string }>;
  failures: VerifyFailure[];
  issues: Issue[];
}

const isBpxFile = (p: string) => /^(app\/\.bpx|deps\/[^/]+\/bpx)\/sbom\.[a-z.]+$/.test(p);

/** Which files changed between the signed listing and the recomputed one (paths relative to the subject). */
function diffListings(signed: readonly string[], actual: readonly string[]): FileChanges {
  const key = (l: string) => l.split(' ')[2];
  const a = new Map(signed.map((l) => [key(l), l]));
  const b = new Map(actual.map((l) => [key(l), l]));
  const out: FileChanges = { added: [], removed: [], changed: [] };
  for (const [p, l] of b)
    if (!a.has(p)) out.added.push(p);
    else if (a.get(p) !== l) out.changed.push(p);
  for (const p of a.keys()) if (!b.has(p)) out.removed.push(p);
  return out;
}

function describe(c: FileChanges): string {
  const parts: string[] = [];
  const list = (xs: string[]) => xs.slice(0, 10).join(', ') + (xs.length > 10 ? `, … (${xs.length} in all)` : '');
  if (c.added.length) parts.push(`added: ${list(c.added)}`);
  if (c.removed.length) parts.push(`removed: ${list(c.removed)}`);
  if (c.changed.length) parts.push(`changed: ${list(c.changed)}`);
  return parts.join('; ');
}

/** Verifies a droplet tarball or an extracted droplet directory with a PEM public key. */
export async function verifyDroplet(target: string, publicKeyPem: string | Buffer): Promise<VerifyResult> {
  const pub = loadPublicKey(publicKeyPem);
  const isDir = (await stat(target)).isDirectory();
  let subjects: SubjectDigest[];
  let issues: Issue[];
  const files = new Map<string, Buffer>();
  if (isDir) {
    ({ subjects, issues } = await digestDropletDir(target));
    const dirs = ['app/.bpx'];
    for (const d of await readdir(path.join(target, 'deps')).catch(() => [] as string[])) dirs.push(`deps/${d}/bpx`);
    for (const d of dirs) {
      for (const f of Object.values(FILE_NAMES)) {
        const buf = await readFile(path.join(target, d, f)).catch(() => null);
        if (buf) files.set(`${d}/${f}`, buf);
      }
    }
  } else {
    const r = await digestDropletTarball(target, { keep: isBpxFile });
    ({ subjects, issues } = r);
    for (const [k, v] of r.kept) files.set(k, v);
  }
  return verifyDigested(pub, subjects, issues, files);
}

/** Whether a droplet path is one of bpx's own files the verifier reads (`app/.bpx/sbom.intoto.jsonl`, `deps/0/bpx/sbom.cdx.json`). */
export const isVerifierFile = isBpxFile;

/**
 * The verdict from what was read of a droplet: its recomputed subject digests, the issues met reading it, and bpx's own
 * files (isVerifierFile paths → content). verifyDroplet reads these from a file or folder; a droplet read as a stream
 * (a download) gathers them in the same pass that reads its SBOM.
 */
export function verifyDigested(
  publicKeyPem: string | Buffer | ReturnType<typeof loadPublicKey>,
  subjects: readonly SubjectDigest[],
  issues: readonly Issue[],
  files: ReadonlyMap<string, Buffer>,
): VerifyResult {
  const pub = typeof publicKeyPem === 'string' || Buffer.isBuffer(publicKeyPem) ? loadPublicKey(publicKeyPem) : publicKeyPem;
  const actual = new Map(subjects.map((s) => [s.name, s]));
  const failures: VerifyFailure[] = [];
  const reported: VerifyResult['subjects'] = [];
  const envelopes = [...files.keys()]
    .filter((p) => p.endsWith(`/${FILE_NAMES.attestation}`))
    .sort((a, b) => (a.startsWith('app/') === b.startsWith('app/') ? (a < b ? -1 : 1) : a.startsWith('app/') ? -1 : 1));
  if (envelopes.length === 0) {
    failures.push({
      code: 'no-signature',
      message: `no signature: neither app/.bpx/${FILE_NAMES.attestation} nor deps/<idx>/bpx/${FILE_NAMES.attestation} is in the droplet`,
    });
  }
  for (const envPath of envelopes) {
    const dir = envPath.slice(0, -FILE_NAMES.attestation.length - 1);
    const fail = (f: Omit<VerifyFailure, 'envelope'>) => failures.push({ ...f, envelope: envPath });
    const lines = (files.get(envPath) as Buffer)
      .toString('utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    if (lines.length === 0) fail({ code: 'no-signature', message: `${envPath}: empty, no signature` });
    const tree = files.has(`${dir}/${FILE_NAMES.tree}`)
      ? parseTree((files.get(`${dir}/${FILE_NAMES.tree}`) as Buffer).toString('utf8'))
      : null;
    let checkedSubjects = false;
    for (const [n, line] of lines.entries()) {
      const where = `${envPath}:${n + 1}`;
      let env: DsseEnvelope;
      try {
        env = JSON.parse(line) as DsseEnvelope;
      } catch {
        fail({ code: 'bad-envelope', message: `${where}: not JSON` });
        continue;
      }
      const shape = envelopeShapeError(env);
      if (shape) {
        fail({ code: shape === 'no signatures' ? 'no-signature' : 'bad-envelope', message: `${where}: ${shape}` });
        continue;
      }
      const body = Buffer.from(env.payload, 'base64');
      const pae = preAuthEncoding(env.payloadType, body);
      const good = env.signatures.some((s) => verifySignature(pub, pae, Buffer.from(s.sig, 'base64')));
      if (!good) {
        const ids = env.signatures.map((s) => s.keyid || '(none)').join(', ');
        fail({
          code: 'wrong-key',
          message: `${where}: the signature does not verify with the given key (signed by keyid ${ids}; this key is ${pub.keyid}): wrong key or altered envelope`,
        });
        continue;
      }
      let st: Statement;
      try {
        st = JSON.parse(body.toString('utf8')) as Statement;
      } catch {
        fail({ code: 'bad-statement', message: `${where}: signed payload is not JSON` });
        continue;
      }
      if (env.payloadType !== 'application/vnd.in-toto+json' || st._type !== STATEMENT_TYPE || !Array.isArray(st.subject)) {
        fail({ code: 'bad-statement', message: `${where}: not an in-toto Statement v1` });
        continue;
      }
      const format = formatOfPredicate(st.predicateType);
      const docFile = format && FORMATS[format].file;
      if (!docFile) fail({ code: 'bad-statement', message: `${where}: unknown predicate type ${st.predicateType}` });
      else {
        const doc = files.get(`${dir}/${docFile}`);
        if (!doc) fail({ code: 'sbom-missing', message: `${dir}/${docFile} is missing, but its signed predicate is in ${where}` });
        else {
          // byte for byte: bpx writes the documents exactly as stableJson(predicate)
          if (doc.toString('utf8') !== stableJson(st.predicate))
            fail({ code: 'sbom-tampered', message: `${dir}/${docFile} differs from the signed SBOM in ${where}: tampered SBOM` });
        }
      }
      if (checkedSubjects) continue;
      checkedSubjects = true;
      const signedNames = new Set<string>();
      for (const s of st.subject) {
        const name = s?.name;
        const sha = s?.digest?.sha256;
        if (typeof name !== 'string' || typeof sha !== 'string') {
          fail({ code: 'bad-statement', message: `${where}: a subject has no name or sha256` });
          continue;
        }
        signedNames.add(name);
        const got = actual.get(name);
        reported.push({ name, signed: sha, actual: got?.sha256 });
        if (!got) {
          fail({ code: 'subject-missing', subject: name, message: `${name}/ is signed but absent from the droplet (removed)` });
          continue;
        }
        if (got.sha256 === sha) continue;
        const listed = tree?.get(name);
        if (listed && listed.sha256 === sha && digestLines(listed.lines) === sha) {
          const changes = diffListings(listed.lines, got.lines);
          fail({
            code: 'subject-changed',
            subject: name,
            files: changes,
            message: `${name}/ differs from what was signed: ${describe(changes)}`,
          });
        } else {
          fail({
            code: 'subject-changed',
            subject: name,
            message: `${name}/ differs from what was signed (a file was added, removed or changed; no trusted listing to say which)`,
          });
        }
      }
      // signed at the last phase (app/.bpx): everything in the droplet must be covered
      if (dir === 'app/.bpx') {
        for (const s of subjects) {
          if (!signedNames.has(s.name))
            fail({
              code: 'subject-unsigned',
              subject: s.name,
              message: `${s.name}/ is in the droplet but was not signed (added after signing)`,
            });
        }
      }
    }
  }
  for (const i of issues) {
    if (i.severity === 'error') failures.push({ code: 'unreadable', message: `${i.path}: ${i.message}` });
  }
  return { ok: failures.length === 0, envelopes, subjects: reported, failures, issues: [...issues] };
}
