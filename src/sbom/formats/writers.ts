// The SBOM formats bpx writes, as data: the file name in a droplet, the in-toto predicate type that signs it and the
// writer. Kept apart from the readers (./index.ts adds them) so that writing an SBOM never loads the purl parser.
import type { SbomModel } from '../model.ts';
import { CYCLONEDX_PREDICATE, toCycloneDx, writeCycloneDx } from './cyclonedx.ts';
import { SPDX_PREDICATE, toSpdx, writeSpdx } from './spdx.ts';

export type Format = 'cyclonedx' | 'spdx';

export interface SbomWriter {
  /** the document's file name in bpx's output folder (`app/.bpx`, `deps/<idx>/bpx`) */
  readonly file: string;
  /** the predicateType of the in-toto Statement that signs the document */
  readonly predicateType: string;
  /** the document as a plain object (bpx writes it with stableJson) */
  write(model: SbomModel): Record<string, unknown>;
  /** the document's text, exactly stableJson(write(model)), built without the whole object where the format can */
  text(model: SbomModel): string;
}

/** In the order documents are written, signed and preferred when a droplet has several. */
export const WRITERS: Readonly<Record<Format, SbomWriter>> = {
  cyclonedx: { file: 'sbom.cdx.json', predicateType: CYCLONEDX_PREDICATE, write: toCycloneDx, text: writeCycloneDx },
  spdx: { file: 'sbom.spdx.json', predicateType: SPDX_PREDICATE, write: toSpdx, text: writeSpdx },
};

/** The format ids, in WRITERS order: `cyclonedx`, `spdx`. */
export const FORMAT_IDS = Object.keys(WRITERS) as Format[];

export const isFormat = (id: unknown): id is Format => typeof id === 'string' && Object.hasOwn(WRITERS, id);
