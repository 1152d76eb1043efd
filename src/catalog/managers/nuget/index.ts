// NuGet / .NET: packages.lock.json and the *.deps.json of published apps. See README.md.
import { byKind } from '../../declare.ts';
import type { PackageManager } from '../../types.ts';

export const nuget: PackageManager = {
  id: 'nuget',
  ecosystem: 'nuget',
  description: "NuGet packages from packages.lock.json (v1, v2; every target framework) and published .NET apps' *.deps.json.",
  ...byKind(
    {
      lock: /(^|\/)packages\.lock\.json$/,
      /** not the .NET runtime's and SDK's own deps.json files (shared/Microsoft.NETCore.App/8.0.x/…): the runtimes manager reports those */
      deps: { match: /(^|\/)[^/]+\.deps\.json$/, not: /(^|\/)(shared|sdk|packs|sdk-manifests)\/Microsoft\.[^/]+\/|(^|\/)sdk\/\d[^/]*\// },
    },
    () => import('./catalog.ts'),
  ),
};
