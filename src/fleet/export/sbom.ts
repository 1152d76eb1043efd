// A CycloneDX 1.6 SBOM of one app's current droplet, rebuilt from the inventory by bpx's own SBOM writer.
import { buildModel } from '../../sbom/model.ts';
import { writeCycloneDx } from '../../sbom/formats/cyclonedx.ts';
import { TOOL } from '../../sbom/tool.ts';
import { type Component, type Source, normaliseLicense } from '../../model/index.ts';
import type { ExportDroplet } from '../store.ts';

// what a stored path most likely is, for the SBOM's bpx:source: "app/package-lock.json" -> lockfile
function sourceOf(p: string): Source {
  if (
    /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|[^/]*\.lock|go\.sum|packages\.lock\.json|gradle\.lockfile|pylock\.toml)$/.test(
      p,
    )
  )
    return 'lockfile';
  if (/(^|\/)(node_modules|site-packages|vendor|gems)\//.test(p)) return 'installed';
  return 'manifest';
}

/** The droplet as CycloneDX JSON text (deterministic: no timestamp, serial number from the content). */
export function inventorySbom(d: ExportDroplet): string {
  const components: Component[] = d.components.map((c) => ({
    ecosystem: c.ecosystem,
    name: c.name,
    version: c.version,
    purl: c.purl,
    kind: c.type,
    scope: c.scope,
    licenses: c.licenses.map(normaliseLicense),
    hashes: [],
    locations: c.paths.map((p) => ({ path: p, source: sourceOf(p) })),
    dependsOn: [],
  }));
  const model = buildModel(
    { components, issues: [], complete: d.complete },
    {
      app: {
        name: d.app.name,
        ...(d.app.guid ? { id: d.app.guid } : {}),
        ...(d.app.spaceName ? { spaceName: d.app.spaceName } : {}),
        ...(d.app.spaceGuid ? { spaceId: d.app.spaceGuid } : {}),
        ...(d.app.orgName ? { orgName: d.app.orgName } : {}),
        ...(d.app.orgGuid ? { orgId: d.app.orgGuid } : {}),
      },
      ...(d.stack ? { stack: d.stack } : {}),
      buildpacks: d.buildpacks.map((b) => ({
        index: String(b.position),
        ...(b.name ? { name: b.name } : {}),
        ...(b.version ? { version: b.version } : {}),
        ...(b.key ? { key: b.key } : {}),
      })),
      tool: TOOL,
    },
  );
  return writeCycloneDx(model);
}

/** Dependency-Track's project name for an app: `org/space/app` (empty parts left out). */
export function projectName(d: ExportDroplet): string {
  return [d.app.orgName, d.app.spaceName, d.app.name].filter(Boolean).join('/');
}
