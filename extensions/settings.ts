// The `with:` settings each built-in declares (extensions/<name>/settings.ts): what `bpx validate`, `bpx wrap` and the
// manifest loader check before staging. Kept apart from index.ts so that checking settings loads no built-in's code.
import type { SettingsRegistry } from '../src/manifest/settings.ts';

export const builtinSettings: SettingsRegistry = {
  capture: async () => (await import('./capture/settings.ts')).settings,
  sbom: async () => (await import('./sbom/settings.ts')).settings,
  'detect-versions': async () => (await import('./detect-versions/settings.ts')).settings,
  osv: async () => (await import('./osv/settings.ts')).settings,
  vulnerabilities: async () => (await import('./osv/settings.ts')).settings,
  'license-policy': async () => (await import('./license-policy/settings.ts')).settings,
};
