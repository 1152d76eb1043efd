// pnpm: pnpm-lock.yaml 5.x, 6.x and 9.0 (single or two-document).
import type { PackageManager } from '../../types.ts';
import { parsePnpm } from './parse.ts';

export { parsePnpm } from './parse.ts';
export { parsePnpmLock, nameVersionOfKey, stripPeers } from './parse-pnpm-lock.ts';

export const pnpm: PackageManager = {
  id: 'pnpm',
  ecosystem: 'npm',
  description: 'pnpm-lock.yaml 5.x, 6.x and 9.0 (scope by reachability from the importers)',
  matches(path: string): boolean {
    return (path === 'pnpm-lock.yaml' || path.endsWith('/pnpm-lock.yaml')) && !path.includes('node_modules/');
  },
  parse: parsePnpm,
};
