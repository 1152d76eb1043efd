// Builds a Component with its purl and defaults in one place, so every manager derives identity the same way.
import type { Component, ComponentKind, Ecosystem, Hash, License, Location, Scope } from './component.ts';
import { purlFor } from './purl.ts';

export interface ComponentInput {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  location: Location;
  scope?: Scope;
  kind?: ComponentKind;
  licenses?: License[];
  hashes?: Hash[];
  dependsOn?: string[];
  direct?: boolean;
  /** CPE 2.3 name (runtimes) */
  cpe?: string;
  /** purl qualifiers (e.g. maven type, gem platform). */
  qualifiers?: Record<string, string>;
}

export function makeComponent(input: ComponentInput): Component {
  return {
    ecosystem: input.ecosystem,
    name: input.name,
    version: input.version,
    purl: purlFor(input.ecosystem, input.name, input.version, input.qualifiers),
    kind: input.kind ?? 'library',
    scope: input.scope ?? 'required',
    licenses: input.licenses ?? [],
    hashes: input.hashes ?? [],
    locations: [input.location],
    dependsOn: input.dependsOn ?? [],
    ...(input.direct !== undefined ? { direct: input.direct } : {}),
    ...(input.cpe ? { cpe: input.cpe } : {}),
  };
}
