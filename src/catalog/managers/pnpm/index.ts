// pnpm: pnpm-lock.yaml 5.x, 6.x and 9.0 (single or two-document). See README.md.
import { byFile } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

export const pnpm: PackageManager = {
  id: 'pnpm',
  ecosystem: 'npm',
  description: 'pnpm-lock.yaml 5.x, 6.x and 9.0 (scope by reachability from the importers)',
  ...byFile(() => import('./catalog.ts'), [[{ match: /(^|\/)pnpm-lock\.yaml$/, not: /node_modules\// }, 'pnpmLockfile']]),
};
