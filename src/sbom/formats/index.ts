// The SBOM formats bpx writes and reads, as data (the way cyclonedx-javascript-library keeps spec capabilities):
// the file name in a droplet, the in-toto predicate type that signs it, the writer (./writers.ts) and the reader.
// Commands, builtin:sbom, the outputs, verify and scan iterate FORMATS; a new format is one entry in each table.
import { readCycloneDx } from './cyclonedx-read.ts';
import { type Json, type SbomInput, isObj } from './reading.ts';
import { readSpdx } from './spdx-read.ts';
import { type Format, type SbomWriter, FORMAT_IDS, WRITERS, isFormat } from './writers.ts';

export { type Format, FORMAT_IDS, isFormat };

export interface SbomFormat extends SbomWriter {
  /** components and buildpacks from a parsed document; undefined when `doc` is not in this format */
  read(doc: Json, path: string): SbomInput | undefined;
}

/** In the order documents are written, signed and preferred when a droplet has several. */
export const FORMATS: Readonly<Record<Format, SbomFormat>> = {
  cyclonedx: { ...WRITERS.cyclonedx, read: readCycloneDx },
  spdx: { ...WRITERS.spdx, read: readSpdx },
};

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
