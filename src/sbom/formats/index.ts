// The SBOM formats bpx writes and reads, as data (the way cyclonedx-javascript-library keeps spec capabilities):
// the file name in a droplet, the in-toto predicate type that signs it, the writer and the reader. Commands,
// builtin:sbom, the outputs, verify and scan iterate FORMATS; a new format is one entry here.
import type { SbomModel } from '../model.ts';
import { CYCLONEDX_PREDICATE, toCycloneDx, writeCycloneDx } from './cyclonedx.ts';
import { readCycloneDx } from './cyclonedx-read.ts';
import { type Json, type SbomInput, isObj } from './reading.ts';
import { SPDX_PREDICATE, toSpdx, writeSpdx } from './spdx.ts';
import { readSpdx } from './spdx-read.ts';

export type Format = 'cyclonedx' | 'spdx';

export interface SbomFormat {
  /** the document's file name in bpx's output folder (`app/.bpx`, `deps/<idx>/bpx`) */
  readonly file: string;
  /** the predicateType of the in-toto Statement that signs the document */
  readonly predicateType: string;
  /** the document as a plain object (bpx writes it with stableJson) */
  write(model: SbomModel): Json;
  /** the document's text, exactly stableJson(write(model)), built without the whole object where the format can */
  text(model: SbomModel): string;
  /** components and buildpacks from a parsed document; undefined when `doc` is not in this format */
  read(doc: Json, path: string): SbomInput | undefined;
}

/** In the order documents are written, signed and preferred when a droplet has several. */
export const FORMATS: Readonly<Record<Format, SbomFormat>> = {
  cyclonedx: { file: 'sbom.cdx.json', predicateType: CYCLONEDX_PREDICATE, write: toCycloneDx, text: writeCycloneDx, read: readCycloneDx },
  spdx: { file: 'sbom.spdx.json', predicateType: SPDX_PREDICATE, write: toSpdx, text: writeSpdx, read: readSpdx },
};

/** The format ids, in FORMATS order: `cyclonedx`, `spdx`. */
export const FORMAT_IDS = Object.keys(FORMATS) as Format[];

export const isFormat = (id: unknown): id is Format => typeof id === 'string' && Object.hasOwn(FORMATS, id);

/** The format a Statement's predicateType names, or undefined. */
export function formatOfPredicate(predicateType: unknown): Format | undefined {
  return FORMAT_IDS.find((f) => FORMATS[f].predicateType === predicateType);
}

/** Parses SBOM text; throws an Error naming the file when it is in none of FORMATS. */
export function readSbom(text: string, path: string): SbomInput {
  return readSbomJson(parseSbomText(text, path), path);
}

/** JSON.parse of SBOM text; throws an Error naming the file when it is not JSON. */
export function parseSbomText(text: string, path: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${path}: not JSON: ${(e as Error).message}`);
  }
}

/** readSbom of a document already parsed (for callers that read other facts from it too, without parsing it twice). */
export function readSbomJson(doc: unknown, path: string): SbomInput {
  if (isObj(doc)) {
    for (const f of FORMAT_IDS) {
      const read = FORMATS[f].read(doc, path);
      if (read) return read;
    }
  }
  throw new Error(`${path}: not a CycloneDX or SPDX JSON document (no bomFormat or spdxVersion)`);
}

export type { BuildpackRecord, SbomInput } from './reading.ts';
