// ajv (JSON Schema) errors as one readable line: "with.send.0: must be equal to one of the allowed values (components, findings)".
import type { ErrorObject } from 'ajv';

/** "with.token: must have required property 'env'" style lines, one per ajv error. */
export function formatAjvErrors(prefix: string, errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => {
      const at = `${prefix}${e.instancePath.replace(/\//g, '.')}`;
      const extra = e.keyword === 'additionalProperties' ? ` '${(e.params as { additionalProperty: string }).additionalProperty}'` : '';
      const allowed = e.keyword === 'enum' ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
      return `${at}: ${e.message}${extra}${allowed}`;
    })
    .join('; ');
}
