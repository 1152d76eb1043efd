// Offline validators for the official CycloneDX 1.6 schema (from @cyclonedx/cyclonedx-library) and SPDX 2.3 (../shared/schemas).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { haveShared, sharedDir } from '../shared.ts';

// ajv-formats is CommonJS: its default export is the function under NodeNext interop
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => void;

const require = createRequire(import.meta.url);
export const repoRoot = path.resolve(new URL('../..', import.meta.url).pathname);
export { sharedDir };
/** ../shared is there (a failure at import when CI is set and it is not: see test/shared.ts). */
export const hasShared = haveShared(sharedDir);

function load(p: string): Record<string, unknown> {
  return JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>;
}

export type Validate = (doc: unknown) => string[];

function make(ajv: Ajv, schema: Record<string, unknown>): Validate {
  const v = ajv.compile(schema);
  return (doc) => (v(doc) ? [] : (v.errors ?? []).map((e: ErrorObject) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`));
}

export function cycloneDxValidator(): Validate {
  const dir = path.join(path.dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res/schema');
  // remote schemas are never fetched: the two the BOM schema refers to are added under the URLs its $refs resolve to
  const ajv = new Ajv({ strict: false, allErrors: true, loadSchema: undefined });
  addFormats(ajv);
  // ajv-formats has no IRI formats; CycloneDX uses them only for URLs, which bpx does not write
  ajv.addFormat('iri-reference', true);
  ajv.addFormat('iri', true);
  ajv.addFormat('idn-email', true);
  const base = 'http://cyclonedx.org/schema/';
  ajv.addSchema({ ...load(path.join(dir, 'spdx.SNAPSHOT.schema.json')), $id: `${base}spdx.SNAPSHOT.schema.json` });
  ajv.addSchema({ ...load(path.join(dir, 'jsf-0.82.SNAPSHOT.schema.json')), $id: `${base}jsf-0.82.SNAPSHOT.schema.json` });
  return make(ajv, load(path.join(dir, 'bom-1.6.SNAPSHOT.schema.json')));
}

export function spdxValidator(): Validate {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  return make(ajv, load(path.join(sharedDir, 'schemas/spdx-2.3.schema.json')));
}
