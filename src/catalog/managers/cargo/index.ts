// Cargo (Rust): Cargo.lock in every format generation. See README.md.
import { byFile } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

export const cargo: PackageManager = {
  id: 'cargo',
  ecosystem: 'cargo',
  description: 'Rust crates from Cargo.lock (pre-v1 [root], v1 [metadata] checksums, v2, v3, v4).',
  ...byFile(() => import('./parse-cargo-lock.ts'), [[/(^|\/)Cargo\.lock$/, 'parseCargoLock']]),
};
