// What the fleet inventory stores and answers: droplets with their app, buildpacks and components; findings per scan run.
import type { Ecosystem, ComponentKind, Scope } from '../model/index.ts';
import type { VulnSeverity } from '../vuln/osv/index.ts';
import type { VulnSource } from '../vuln/findings.ts';

/** Which app a droplet belongs to: by guid when known, else by org/space/name. */
export interface AppIdentity {
  name: string;
  guid?: string;
  spaceName?: string;
  spaceGuid?: string;
  orgName?: string;
  orgGuid?: string;
}

export interface BuildpackRow {
  /** 0-based order of the staging (deps/<idx>) */
  position: number;
  key?: string;
  name?: string;
  version?: string;
  /** what `cf app` shows as detected_buildpack (kept on the last buildpack) */
  detectLine?: string;
}

export interface ComponentRow {
  purl: string;
  ecosystem: Ecosystem;
  name: string;
  version: string;
  type: ComponentKind;
  /** SPDX ids or expressions where known, else the raw text */
  licenses: string[];
  scope: Scope;
  /** where in the droplet it was found (lockfile, installed folder) */
  paths: string[];
}

export type SourceKind = 'droplet' | 'droplet-dir' | 'sbom';

/** One droplet as `fleet add` read it, ready to store in one transaction. */
export interface DropletRecord {
  /** `sha256:<hex>` of the tarball or SBOM file; `tree-sha256:<hex>` of an unpacked droplet's subjects */
  digest: string;
  guid?: string;
  app: AppIdentity;
  stack?: string;
  /** ISO 8601: the SBOM's timestamp, else the droplet file's modification time */
  stagedAt?: string;
  /** `sha256:<hex>` of the components and buildpacks read (sorted `purl scope` lines): equal for droplets that ship the same */
  sbomDigest: string;
  sbomFormat?: 'cyclonedx' | 'spdx';
  /** droplet-sbom (bpx's SBOM inside it), captured (no usable SBOM: the content was captured), file (an SBOM file) */
  sbomSource: 'droplet-sbom' | 'captured' | 'file';
  /** verified | missing | invalid: <why> | not-checked */
  signature: string;
  sourceKind: SourceKind;
  sourcePath: string;
  /** false when the SBOM says its capture was incomplete, or reading left errors */
  complete: boolean;
  buildpacks: BuildpackRow[];
  components: ComponentRow[];
}

export type AddStatus = 'added' | 'unchanged';

export interface AddResult {
  status: AddStatus;
  dropletId: number;
  /** the droplet is now its app's current one */
  current: boolean;
}

/** An app's droplet as the answers name it. */
export interface AppDroplet {
  org: string | null;
  space: string | null;
  app: string;
  appGuid: string | null;
  dropletId: number;
}

/** Where a component was found, app by app: a row of `fleet query`. */
export interface PackageHit extends AppDroplet {
  digest: string;
  current: boolean;
  purl: string;
  version: string;
  scope: string;
  paths: string[];
  source: string;
}

export interface AppBuildpacks extends AppDroplet {
  digest: string;
  stagedAt: string | null;
  buildpacks: BuildpackRow[];
}

/** An advisory matching a component, as `fleet scan` stores it. */
export interface FindingFacts {
  id: string;
  aliases: string[];
  severity: VulnSeverity;
  fixed: string[];
  summary: string;
  /** the databases that reported it (`osv`, `nvd`, `nodejs-security-wg`); empty for a finding stored before schema version 4 and not seen since */
  sources: VulnSource[];
}

export interface StoredFinding extends AppDroplet, FindingFacts {
  purl: string;
  name: string;
  version: string;
  firstSeen: string;
  lastSeen: string;
  /** appeared for this app in this scan run */
  isNew: boolean;
}

export interface ScanRun {
  id: number;
  startedAt: string;
  finishedAt: string | null;
  osvSource: string;
  advisories: number;
}
