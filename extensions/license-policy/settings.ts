// builtin:license-policy `with:` settings, declared as JSON Schema (schemas/settings/license-policy.schema.json).
import type { BuiltinSettings } from '../../src/manifest/settings.ts';
import schema from '../../schemas/settings/license-policy.schema.json' with { type: 'json' };

export const settings: BuiltinSettings = { schema };
