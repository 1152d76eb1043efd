// builtin:detect-versions `with:` settings, declared as JSON Schema (schemas/settings/detect-versions.schema.json): none.
import type { BuiltinSettings } from '../../src/manifest/settings.ts';
import schema from '../../schemas/settings/detect-versions.schema.json' with { type: 'json' };

export const settings: BuiltinSettings = { schema };
