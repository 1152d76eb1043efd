// The validator of schemas/hook-result.schema.json (ajv): loaded by result.ts with the first result to check.
import { Ajv } from 'ajv';
import schema from '../../../schemas/hook-result.schema.json' with { type: 'json' };

export const validateHookResult = new Ajv({ allErrors: true, strict: false }).compile(schema);
