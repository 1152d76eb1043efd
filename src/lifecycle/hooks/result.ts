// Validates an extension's JSON result against schemas/hook-result.schema.json.
import { Ajv, type ValidateFunction } from 'ajv';
import schema from '../../../schemas/hook-result.schema.json' with { type: 'json' };
import type { HookResult } from './types.ts';

let validate: ValidateFunction | undefined;

/** Parses and validates; throws an Error naming the first problems when the text is not a valid result. */
export function parseHookResult(text: string, what: string): HookResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(schema);
  if (!validate(data)) {
    const msgs = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '(root)'} ${e.message}${e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : ''}`);
    throw new Error(`${what} does not match hook-result.schema.json: ${msgs.join('; ')}`);
  }
  return data as HookResult;
}
