// The SBOM outputs bpx writes into a droplet: file names, the tree listing, and the signed in-toto bundle (JSON Lines of DSSE envelopes).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { SubjectDigest } from '../droplet/digest.ts';
import { FORMAT_IDS, WRITERS, type Format } from './formats/writers.ts';
import { stableJson } from './ids.ts';
import type { SbomModel } from './model.ts';
import { INTOTO_PAYLOAD_TYPE, signEnvelope, type DsseEnvelope } from './sign/dsse.ts';
import type { Signer } from './sign/signer.ts';
import { makeStatement } from './sign/statement.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';

export { SPDX_PREDICATE } from './formats/spdx.ts';
export type { Format } from './formats/writers.ts';

/** The files in bpx's output folder: one document per format (WRITERS), the signed bundle, the subjects' listing. */
export const FILE_NAMES: Readonly<Record<Format | 'attestation' | 'tree', string>> = {
  ...(Object.fromEntries(FORMAT_IDS.map((f) => [f, WRITERS[f].file])) as Record<Format, string>),
  attestation: 'sbom.intoto.jsonl',
  tree: 'sbom.tree.txt',
};

/** The document written whenever there is a signer: the attestation's first predicate, which verify and scan expect. */
const SIGNED_ALWAYS: Format = 'cyclonedx';

/** `# subject <name> <sha256>` then that subject's listing lines; the listing lets verify name the files that changed. */
export function formatTree(subjects: readonly SubjectDigest[]): string {
  return subjects.map((s) => `# subject ${s.name} ${s.sha256}\n${s.lines.join('')}`).join('');
}

export function parseTree(text: string): Map<string, { sha256: string; lines: string[] }> {
  const out = new Map<string, { sha256: string; lines: string[] }>();
  let cur: { sha256: string; lines: string[] } | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const m = /^# subject (\S+) ([0-9a-f]{64})$/.exec(line);
    if (m) out.set(m[1], (cur = { sha256: m[2], lines: [] }));
    else cur?.lines.push(`${line}\n`);
  }
  return out;
}

export interface WriteOutputsOptions {
  outDir: string;
  model: SbomModel;
  formats: readonly Format[];
  /** subject digests; with a signer, the attestation is written */
  subjects?: readonly SubjectDigest[];
  signer?: Signer;
}

/**
 * Writes the chosen documents and, with a signer, one envelope line per document: CycloneDX (predicate type
 * https://cyclonedx.org/bom) always, SPDX (https://spdx.dev/Document) when written. Returns the file names written.
 */
export async function writeOutputs(opts: WriteOutputsOptions): Promise<string[]> {
  await mkdir(opts.outDir, { recursive: true });
  const written: string[] = [];
  const docs: Array<{ format: Format; doc: Record<string, unknown> }> = [];
  for (const format of FORMAT_IDS) {
    if (opts.formats.includes(format) || (opts.signer && format === SIGNED_ALWAYS))
      docs.push({ format, doc: WRITERS[format].write(opts.model) });
  }
  for (const { format, doc } of docs) {
    await writeFileAtomic(path.join(opts.outDir, WRITERS[format].file), stableJson(doc));
    written.push(WRITERS[format].file);
  }
  if (opts.signer && opts.subjects) {
    const envelopes: DsseEnvelope[] = [];
    for (const { format, doc } of docs) {
      const statement = makeStatement(opts.subjects, doc, WRITERS[format].predicateType);
      envelopes.push(await signEnvelope(INTOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement), 'utf8'), opts.signer));
    }
    await writeFileAtomic(path.join(opts.outDir, FILE_NAMES.tree), formatTree(opts.subjects));
    await writeFileAtomic(path.join(opts.outDir, FILE_NAMES.attestation), envelopes.map((e) => `${JSON.stringify(e)}\n`).join(''));
    written.push(FILE_NAMES.tree, FILE_NAMES.attestation);
  }
  return written.sort();
}
