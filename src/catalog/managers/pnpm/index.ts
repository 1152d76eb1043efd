// pnpm: pnpm-lock.yaml 5.x, 6.x and 9.0 (single or two-document). See README.md.
import { byFile } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';
import { pnpmLockfile } from './catalog.ts';

export { parsePnpmLock, nameVersionOfKey, stripPeers } from './parse-pnpm-lock.ts';

export const pnpm: PackageManager = {
  id: 'pnpm',
  ecosystem: 'npm',
  description: 'pnpm-lock.yaml 5.x, 6.x and 9.0 (scope by reachability from the importers)',
  ...byFile([[{ match: /(^|\/)pnpm-lock\.yaml$/, not: /node_modules\// }, pnpmLockfile]]),
};
