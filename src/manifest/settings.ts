// The `with:` settings of each extension checked before staging: a built-in's against its declared JSON Schema
// (schemas/settings/<name>.schema.json) and its own file and key checks; an http extension's against its schema and URL rule.
import type { CheckContext, SettingIssue } from './checks.ts';
import { validateAgainst } from './schema.ts';
import type { ExtensionSpec } from './types.ts';

export type { CheckContext, SettingIssue } from './checks.ts';

/** What each built-in declares about its `with:` (extensions/<name>/settings.ts). */
export interface BuiltinSettings {
  /** JSON Schema (draft-07) of `with:`; unknown keys are errors. */
  schema: object;
  /**
   * Checks the schema cannot make: files and keys named by the settings, URLs. Runs also when the schema found errors
   * (so it must expect any shape); its issues at or below a path the schema already reported are dropped.
   */
  check?(settings: Record<string, unknown>, ctx: CheckContext): Promise<SettingIssue[]>;
}

export type SettingsRegistry = Readonly<Record<string, () => Promise<BuiltinSettings>>>;

export interface SettingsCheckOptions {
  registry: SettingsRegistry;
  manifestDir: string;
  /** also check files, keys and databases (default true) */
  checkFiles?: boolean;
}

/** Issues of one extension's settings, paths relative to the extension (`['with', 'failOn']`). */
export async function checkExtensionSettings(ext: ExtensionSpec, opts: SettingsCheckOptions): Promise<SettingIssue[]> {
  const w = ext.with ?? {};
  const ctx: CheckContext = { manifestDir: opts.manifestDir };
  const under = (issues: SettingIssue[]) => issues.map((i) => ({ ...i, path: ['with', ...i.path] }));
  if (typeof ext.uses === 'string' && ext.uses.startsWith('builtin:')) {
    const name = ext.uses.slice('builtin:'.length);
    const load = Object.prototype.hasOwnProperty.call(opts.registry, name) ? opts.registry[name] : undefined;
    if (!load) return []; // an unknown built-in is reported by the loader
    const decl = await load();
    const schemaIssues = validateAgainst(decl.schema, w).map((e) => ({ path: e.path, message: e.message }));
    if (!decl.check || opts.checkFiles === false) return under(schemaIssues);
    // files and keys are checked even beside a typo elsewhere, so that one run of validate says everything
    const bad = (p: Array<string | number>) => schemaIssues.some((i) => p.join('/').startsWith(i.path.join('/')));
    const fileIssues = (await decl.check(w, ctx)).filter((i) => !bad(i.path));
    return under([...schemaIssues, ...fileIssues]);
  }
  if (typeof ext.http === 'string') {
    const { httpWithSchema } = await import('../lifecycle/hooks/http-settings.ts');
    const { urlProblem, fileProblem, resolveIn } = await import('./checks.ts');
    const issues: SettingIssue[] = [];
    const url = await urlProblem(ext.http, ext.insecure === true);
    if (url) issues.push({ path: ['http'], message: url });
    const schemaIssues = validateAgainst(httpWithSchema, w);
    issues.push(...under(schemaIssues.map((e) => ({ path: e.path, message: e.message }))));
    if (!schemaIssues.length && opts.checkFiles !== false && typeof w.caFile === 'string') {
      const p = await fileProblem(resolveIn(ctx, w.caFile), 'CA bundle', w.caFile);
      if (p) issues.push({ path: ['with', 'caFile'], message: p });
    }
    return issues;
  }
  return [];
}
