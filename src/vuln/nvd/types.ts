// The parts of NVD CVE API 2.0 records (https://nvd.nist.gov/developers/vulnerabilities) and Node.js Security WG core
// advisories (nodejs/security-wg vuln/core/<N>.json) that matching reads, and the compact forms the database keeps.
import type { VersionScheme } from '../versions/index.ts';
import type { RangeTest } from '../versions/types.ts';
import type { VulnSeverity } from '../osv/severity.ts';

/** One `cpeMatch[]` entry as the API gives it. */
export interface NvdCpeMatchRaw {
  vulnerable?: boolean;
  criteria?: string;
  versionStartIncluding?: string;
  versionStartExcluding?: string;
  versionEndIncluding?: string;
  versionEndExcluding?: string;
}

export interface NvdNodeRaw {
  operator?: string;
  negate?: boolean;
  cpeMatch?: NvdCpeMatchRaw[];
}

export interface NvdConfigurationRaw {
  operator?: string;
  negate?: boolean;
  nodes?: NvdNodeRaw[];
}

/** A CVE API 2.0 `cve` object (unknown keys tolerated). */
export interface NvdCveRaw {
  id: string;
  lastModified?: string;
  published?: string;
  vulnStatus?: string;
  descriptions?: Array<{ lang?: string; value?: string }>;
  metrics?: Record<
    string,
    Array<{ source?: string; type?: string; cvssData?: { version?: string; vectorString?: string; baseSeverity?: string } }>
  >;
  configurations?: NvdConfigurationRaw[];
}

/** A cpeMatch entry read once at load: the criteria split, values unquoted and lowercased. */
export interface CpeMatch {
  vulnerable: boolean;
  /** `vendor:product` */
  product: string;
  /** `*` (any), `-` (not applicable) or a version */
  version: string;
  /** `*`, `-` or an update (`alpha6`, `update391`) */
  update: string;
  startIncluding?: string;
  startExcluding?: string;
  endIncluding?: string;
  endExcluding?: string;
}

export interface CpeNode {
  and: boolean;
  negate: boolean;
  matches: readonly CpeMatch[];
}

export interface CpeConfiguration {
  and: boolean;
  negate: boolean;
  nodes: readonly CpeNode[];
}

/** What the database keeps of an NVD record with configurations. */
export interface NvdAdvisory {
  id: string;
  status: string;
  lastModified?: string;
  /** the first line of the English description (at most 200 characters) */
  title: string;
  /** from the record's CVSS v4 / v3.x vectors, as the OSV path rates them; else the v2 word */
  severity: VulnSeverity;
  configurations: readonly CpeConfiguration[];
}

/** A Node.js Security WG core advisory (`NSWG-COR-<N>`): node-semver ranges of the node runtime. */
export interface NodeAdvisory {
  /** `NSWG-COR-108` */
  id: string;
  cves: readonly string[];
  vulnerable: RangeTest;
  patched: RangeTest;
  /** the `patched` range as written (`^18.16.1 || ^20.3.1`): where fixed versions are read from */
  patchedText: string;
  /** `affectedEnvironments`: `all`, `win32`, `linux`... */
  environments: readonly string[];
  severity: VulnSeverity;
  title: string;
}

/** A runtime version asked about: `vendor:product` at a version, compared with that product's scheme. */
export interface CpeQuery {
  product: string;
  version: string;
  scheme: VersionScheme;
}
