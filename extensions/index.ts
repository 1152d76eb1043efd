// Registry of built-in extensions (`uses: builtin:<name>`); each lives in its own folder with a README.
import type { BuiltinExtension } from '../src/lifecycle/hooks/types.ts';

export const builtins: Record<string, () => Promise<{ default: BuiltinExtension }>> = {
  capture: () => import('./capture/index.ts'),
  sbom: () => import('./sbom/index.ts'),
  'detect-versions': () => import('./detect-versions/index.ts'),
  osv: () => import('./osv/index.ts'),
  'license-policy': () => import('./license-policy/index.ts'),
};
