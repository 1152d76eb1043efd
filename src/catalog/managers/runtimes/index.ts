// Runtimes the buildpacks installed (node, python, ruby, JDK/JRE, go, .NET, php, httpd, nginx), read from their files. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';
import { RUNTIME_FILE } from './detect.ts';

export const runtimes: PackageManager = {
  id: 'runtimes',
  ecosystem: 'generic',
  description: 'Runtimes under deps/ (and app/): node, python, ruby, JDK/JRE, go, .NET, php, httpd, nginx, from files they carry.',
  /** the files of RULES (detect.ts), outside installed package trees */
  ...byKind({ runtime: RUNTIME_FILE }, () => import('./catalog.ts')),
};
