// The component model: one package, runtime or buildpack found in an app or droplet (CycloneDX/SPDX agnostic).
import type { Ecosystem } from './ecosystem.ts';

export type { Ecosystem } from './ecosystem.ts';

/** required: shipped and needed; optional: shipped, optional (e.g. installed optional platform binaries); dev: not shipped by default. */
export type Scope = 'required' | 'optional' | 'dev';

/** library: a package; runtime: node, python, a JDK... installed under deps/; application: the app itself. */
export type ComponentKind = 'library' | 'runtime' | 'application';

/**
 * Where the evidence came from. Installed trees win over lockfiles when they disagree. `install-log`: only the inner
 * buildpack's `-----> Installing <name> <version>` line tells (no file of the runtime was found).
 */
export type Source = 'lockfile' | 'manifest' | 'installed' | 'binary' | 'runtime' | 'install-log';

/** A place a component was found: path relative to the scanned root, POSIX separators; 1-based line when known. */
export interface Location {
  path: string;
  line?: number;
  source: Source;
}

/** A license as declared (raw), and its SPDX expression when it parses or spdx-correct can fix it. */
export interface License {
  raw: string;
  spdx?: string;
}

/** CycloneDX hash algorithm names. */
export type HashAlg = 'MD5' | 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512' | 'SHA3-256' | 'SHA3-512' | 'BLAKE2b-256' | 'BLAKE2b-512';

/** A digest the lockfile or installed metadata carries; value is lowercase hex. */
export interface Hash {
  alg: HashAlg;
  value: string;
}

export interface Component {
  ecosystem: Ecosystem;
  /**
   * The name as the ecosystem (and OSV) spells it: npm `@scope/name`, Maven `groupId:artifactId`,
   * Go module path, Composer `vendor/package`, PyPI as declared (normalised only when matching).
   */
  name: string;
  version: string;
  /** Canonical package URL string from packageurl-js; unique per component and used as bom-ref. */
  purl: string;
  kind: ComponentKind;
  scope: Scope;
  licenses: License[];
  hashes: Hash[];
  locations: Location[];
  /** purls of the components this one depends on, where the lockfile records edges. */
  dependsOn: string[];
  /** true when the app (or a workspace of it) declares this component directly. */
  direct?: boolean;
  /** CPE 2.3 name of a runtime (src/model/cpe.ts RUNTIME_CPES), e.g. `cpe:2.3:a:nodejs:node.js:20.11.1:*:*:*:*:*:*:*` */
  cpe?: string;
}

/** A located problem met while reading input: the rest of the work goes on. */
export interface Issue {
  path: string;
  line?: number;
  severity: 'warning' | 'error';
  message: string;
}

/** The result of capturing an app or droplet. complete=false when any file could not be fully read. */
export interface Capture {
  components: Component[];
  issues: Issue[];
  complete: boolean;
}
