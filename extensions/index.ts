// Registry of built-in extensions (`uses: builtin:<name>`); each lives in its own folder with a README.
import type { BuiltinExtension } from '../src/lifecycle/hooks/types.ts';

export const builtins: Record<string, () => Promise<{ default: BuiltinExtension }>> = {
  capture: () => import('./capture/index.ts'),
  sbom: () => import('./sbom/index.ts'),
  'detect-versions': () => import('./detect-versions/index.ts'),
  osv: () => import('./osv/index.ts'),
  // builtin:osv under the name of what it does since it also reads NVD data (extensions/osv/README.md)
  vulnerabilities: () => import('./osv/index.ts'),
  'license-policy': () => import('./license-policy/index.ts'),
};

/** Second names of built-ins: alias → the folder (and built-in) it stands for. */
export const BUILTIN_ALIASES: Readonly<Record<string, string>> = { vulnerabilities: 'osv' };
