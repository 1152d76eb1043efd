// `fleet query`: which apps ship a package in a version range, answered from the inventory with `bpx query`'s matching.
import { packageQuery, queryPackage } from '../vuln/scan/query.ts';
import { asComponent } from './component.ts';
import { sortByKeys } from './sort.ts';
import type { FleetStore } from './store.ts';
import type { PackageHit } from './types.ts';

/**
 * Apps whose current droplet (every droplet with allDroplets) contains `purl` in `range` (the ecosystem's own syntax, as
 * `bpx query` takes it), sorted by org, space, app, version. Throws on a bad purl or range (the message names it).
 */
export async function queryInventory(
  store: FleetStore,
  purl: string,
  range: string | undefined,
  allDroplets = false,
): Promise<PackageHit[]> {
  const q = packageQuery(purl, range);
  const versions = await store.packageVersions(q.ecosystem, q.name);
  // the versions the inventory holds, matched once each exactly as `bpx query` matches a droplet's components
  const components = versions.map((v) => asComponent({ ...v, ecosystem: q.ecosystem }));
  const matched = new Set(
    queryPackage({ target: '', source: 'file', signature: '', components, buildpacks: [], issues: [], problems: [], notes: [] }, q).map(
      (m) => ('purl' in m ? m.purl : ''),
    ),
  );
  const hits = await store.hitsOf(
    versions.filter((v) => matched.has(v.purl)),
    allDroplets,
  );
  // by org, space, app (localeCompare's order), the current droplet first, newer droplets first, then package
  return sortByKeys(hits, [
    (h) => h.org ?? '',
    (h) => h.space ?? '',
    (h) => h.app,
    (h) => (h.current ? 0 : 1),
    (h) => -h.dropletId,
    (h) => h.purl,
  ]);
}
