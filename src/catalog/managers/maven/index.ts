// Maven: pom.xml declarations and the jar/war/ear archives the app ships (including Spring Boot nested jars). See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

export const maven: PackageManager = {
  id: 'maven',
  ecosystem: 'maven',
  description:
    'Maven artifacts declared in pom.xml (properties, parents, dependencyManagement) and shipped as jars (WEB-INF/lib, BOOT-INF/lib, nested).',
  ...byKind(
    {
      pom: /(^|\/)pom\.xml$/,
      /** not a JDK/JRE's own jars (deps/<idx>/jdk…/lib/jrt-fs.jar, app/.java-buildpack/open_jdk_jre/…): they are the runtime, not app libraries */
      archive: { match: /\.(jar|war|ear)$/i, not: /(^|\/)(jre|jdk|[^/]*_jre|[^/]*_jdk|[^/]*openjdk[^/]*|[^/]*jvmkill[^/]*)\//i },
    },
    () => import('./catalog.ts'),
  ),
};
