// The built-in registry mirrors the catalog's: every folder under extensions/ is registered under its folder name, has
// a README, an index.ts whose extension carries that name, and a settings.ts whose JSON Schema rejects unknown keys.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { builtins } from '../../extensions/index.ts';
import { builtinSettings } from '../../extensions/settings.ts';

const root = path.resolve(new URL('../../extensions', import.meta.url).pathname);
const folders = readdirSync(root, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

test('every folder is registered, and every registered built-in has a folder', () => {
  assert.ok(folders.length >= 5, `found ${folders.join(', ')}`);
  for (const f of folders) {
    assert.ok(f in builtins, `extensions/${f} is not in extensions/index.ts`);
    assert.ok(f in builtinSettings, `extensions/${f} is not in extensions/settings.ts`);
  }
  for (const name of Object.keys(builtins)) {
    // an alias (a second name for a built-in) points at a folder that exists
    const target = folders.includes(name) ? name : undefined;
    assert.ok(target || Object.keys(builtinSettings).includes(name), `builtin:${name} has no folder and no settings`);
  }
});

test('each folder has its README, an extension of its own name and a settings schema that rejects unknown keys', async () => {
  for (const f of folders) {
    assert.ok(existsSync(path.join(root, f, 'README.md')), `extensions/${f}/README.md is missing`);
    const ext = (await builtins[f]()).default;
    assert.is(ext.name, f, `extensions/${f}/index.ts names itself ${ext.name}`);
    assert.ok(ext.description.length > 10, `builtin:${f} needs a description`);
    const settings = await builtinSettings[f]();
    const schema = settings.schema as { type?: string; additionalProperties?: unknown };
    assert.is(schema.type, 'object', `extensions/${f}: settings schema is an object schema`);
    assert.is(schema.additionalProperties, false, `extensions/${f}: a typo in with: must be an error, not ignored`);
  }
});

test.run();
