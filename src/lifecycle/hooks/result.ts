// Validates an extension's JSON result against schemas/hook-result.schema.json.
import type { HookResult } from './types.ts';

/**
 * Parses and validates; throws an Error naming the first problems when the text is not a valid result. The validator
 * (ajv, about 100 KB of code to load) is loaded with the first result to check: an extension that writes none costs
 * a phase nothing of it.
 */
export async function parseHookResult(text: string, what: string): Promise<HookResult> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  const { validateHookResult: validate } = await import('./result-schema.ts');
  if (!validate(data)) {
    const msgs = (validate.errors ?? [])
      .slice(0, 5)
      .map(
        (e) =>
          `${e.instancePath || '(root)'} ${e.message}${e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : ''}`,
      );
    throw new Error(`${what} does not match hook-result.schema.json: ${msgs.join('; ')}`);
  }
  return data as HookResult;
}
