// builtin:sbom `with:` settings, declared as JSON Schema (schemas/settings/sbom.schema.json), and the key they name.
import type { BuiltinSettings, SettingIssue } from '../../src/manifest/settings.ts';
import schema from '../../schemas/settings/sbom.schema.json' with { type: 'json' };

type Key = { file?: unknown; http?: unknown; caFile?: unknown; insecure?: unknown };

export const settings: BuiltinSettings = {
  schema,
  async check(w, ctx) {
    const { fileProblem, privateKeyProblem, resolveIn, urlProblem } = await import('../../src/manifest/checks.ts');
    const issues: SettingIssue[] = [];
    const key = (w.signingKey && typeof w.signingKey === 'object' ? w.signingKey : {}) as Key;
    if (typeof key.file === 'string' && key.file) {
      const p = await privateKeyProblem(resolveIn(ctx, key.file), key.file);
      if (p) issues.push({ path: ['signingKey', 'file'], message: `signing key ${p}` });
    }
    if (typeof key.http === 'string') {
      const p = await urlProblem(key.http, key.insecure === true);
      if (p)
        issues.push({
          path: ['signingKey', 'http'],
          message: p.replace('mark the extension insecure: true', 'set signingKey.insecure: true'),
        });
    }
    if (typeof key.caFile === 'string' && key.caFile) {
      const p = await fileProblem(resolveIn(ctx, key.caFile), 'CA bundle', key.caFile);
      if (p) issues.push({ path: ['signingKey', 'caFile'], message: p });
    }
    return issues;
  },
};
