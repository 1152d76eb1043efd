// A component of the inventory (a components row) as the component model the matchers take (`bpx query`'s and the
// OSV and NVD matchers): only its identity is stored per purl; scope, licences and places are per droplet.
import type { Component, Ecosystem } from '../model/index.ts';

export function asComponent(row: { ecosystem: string; name: string; version: string; purl: string }): Component {
  return {
    ecosystem: row.ecosystem as Ecosystem,
    name: row.name,
    version: row.version,
    purl: row.purl,
    kind: 'library',
    scope: 'required',
    licenses: [],
    hashes: [],
    locations: [],
    dependsOn: [],
  };
}
