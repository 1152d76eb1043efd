// Gradle: gradle.lockfile (dependency locking) and gradle/verification-metadata.xml. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

export const gradle: PackageManager = {
  id: 'gradle',
  ecosystem: 'maven',
  description: 'Maven artifacts from Gradle dependency locking (gradle.lockfile), scoped by configuration.',
  ...byKind(
    {
      /** `gradle.lockfile` per project; the older per-configuration `gradle/dependency-locks/<conf>.lockfile` is not read */
      lockfile: /(^|\/)gradle\.lockfile$/,
      /** the root project's dependency verification file: digests for the locked artifacts */
      verification: /(^|\/)gradle\/verification-metadata\.xml$/,
    },
    () => import('./catalog.ts'),
  ),
};
