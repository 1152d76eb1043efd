// Types for osv-validator.generated.js (ajv standalone code for schemas/osv.schema.json, see scripts/gen-osv-validator.mjs).
import type { ErrorObject } from 'ajv';

/** An ajv validate function: true when `data` matches the OSV schema, else false with `errors` set (allErrors). */
export interface OsvSchemaValidate {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}
export declare const validate: OsvSchemaValidate;
export default validate;
