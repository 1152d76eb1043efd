// builtin:capture `with:` settings, declared as JSON Schema (schemas/settings/capture.schema.json).
import type { BuiltinSettings } from '../../src/manifest/settings.ts';
import schema from '../../schemas/settings/capture.schema.json' with { type: 'json' };

export const settings: BuiltinSettings = { schema };
