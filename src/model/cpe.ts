// CPE 2.3 names (NISTIR 7695, the formatted-string binding) of the runtimes buildpacks install: the one table that names
// them, how their versions compare, and the version/update split NVD uses (`3.10.0a6` → version 3.10.0, update alpha6).
import type { SchemeId } from './ecosystem.ts';

export interface RuntimeCpeRow {
  /** `vendor:product` the component is named by in SBOMs (CycloneDX `cpe`, SPDX `cpe23Type`) */
  readonly cpe: string;
  /** the name when the vendor's own build is installed (the JDK `release` file says IMPLEMENTOR="Oracle Corporation") */
  readonly vendorBuild?: string;
  /** other `vendor:product` names NVD files the same software under: matched too, never written */
  readonly also?: readonly string[];
  /** how its versions compare and how NVD ranges over them are read (src/vuln/versions) */
  readonly scheme: SchemeId;
}

/**
 * Keyed by the runtime component's name (`pkg:generic/<name>@<version>`, src/catalog/managers/runtimes). Every runtime
 * rule's name has a row (a test says so). docs: src/catalog/managers/runtimes/README.md.
 */
export const RUNTIME_CPES = {
  node: { cpe: 'nodejs:node.js', scheme: 'semver' },
  python: { cpe: 'python:python', scheme: 'pep440' },
  ruby: { cpe: 'ruby-lang:ruby', scheme: 'rubygems' },
  // OpenJDK builds (Temurin, Liberica, Corretto, the java buildpack's) are oracle:openjdk; Oracle's own JDK/JRE are
  // oracle:jdk / oracle:jre. Oracle's Critical Patch Update records name jdk and jre for fixes OpenJDK shares: all three match.
  jdk: { cpe: 'oracle:openjdk', vendorBuild: 'oracle:jdk', also: ['oracle:jdk', 'oracle:jre'], scheme: 'jdk' },
  jre: { cpe: 'oracle:openjdk', vendorBuild: 'oracle:jre', also: ['oracle:jre', 'oracle:jdk'], scheme: 'jdk' },
  go: { cpe: 'golang:go', scheme: 'semver' },
  'dotnet-runtime': { cpe: 'microsoft:.net', scheme: 'nuget' },
  'aspnetcore-runtime': { cpe: 'microsoft:asp.net_core', scheme: 'nuget' },
  php: { cpe: 'php:php', scheme: 'packagist' },
  httpd: { cpe: 'apache:http_server', scheme: 'numeric' },
  // NVD has filed nginx as nginx:nginx, f5:nginx and (since 2024) f5:nginx_open_source
  nginx: { cpe: 'f5:nginx', also: ['f5:nginx_open_source', 'nginx:nginx'], scheme: 'numeric' },
} as const satisfies Record<string, RuntimeCpeRow>;

export type RuntimeName = keyof typeof RUNTIME_CPES;

/** The row of a runtime component name, or undefined when it is no runtime of the table. */
export function runtimeCpeRow(name: string): RuntimeCpeRow | undefined {
  return Object.hasOwn(RUNTIME_CPES, name) ? (RUNTIME_CPES as Record<string, RuntimeCpeRow>)[name] : undefined;
}

// vendor:product → scheme, for every name of the table (the NVD matcher compares a product's versions with it)
const SCHEME_BY_PRODUCT = new Map<string, SchemeId>();
for (const row of Object.values(RUNTIME_CPES) as RuntimeCpeRow[]) {
  for (const p of [row.cpe, row.vendorBuild, ...(row.also ?? [])]) if (p && !SCHEME_BY_PRODUCT.has(p)) SCHEME_BY_PRODUCT.set(p, row.scheme);
}

/** The scheme a CPE product's versions compare with: the table's, else `numeric` (OpenSSL, curl, llhttp...). */
export function schemeOfProduct(vendorProduct: string): SchemeId {
  return SCHEME_BY_PRODUCT.get(vendorProduct) ?? 'numeric';
}

/** Every `vendor:product` the table knows a runtime by. */
export const CPE_PRODUCTS: ReadonlySet<string> = new Set(SCHEME_BY_PRODUCT.keys());

// ---------------------------------------------------------------------------------------------------- version / update

/** `rc`, `a`, `beta`… as NVD spells the CPE update of a pre-release: alpha, beta, rc (the rank orders them). */
const PRE: Record<string, { canon: string; rank: number }> = {
  dev: { canon: 'dev', rank: 0 },
  a: { canon: 'alpha', rank: 1 },
  alpha: { canon: 'alpha', rank: 1 },
  b: { canon: 'beta', rank: 2 },
  beta: { canon: 'beta', rank: 2 },
  c: { canon: 'rc', rank: 3 },
  rc: { canon: 'rc', rank: 3 },
  pre: { canon: 'pre', rank: 3 },
  preview: { canon: 'preview', rank: 3 },
};

/** `3.13.0rc1`, `8.0.0-rc.2`, `1.21rc2`, `8.2.2-dev`: release, pre-release word and number. */
const PRE_RE = /^(\d+(?:\.\d+)*)[-._]?(dev|alpha|a|beta|b|c|rc|preview|pre)[-._]?(\d*)$/i;

export interface CpeVersion {
  /** the CPE `version` attribute: `3.10.0`, `1.8.0`, `20.11.1` */
  version: string;
  /** the CPE `update` attribute a version implies (`alpha6`, `rc2`, `update391`); undefined: none */
  update?: string;
}

/**
 * How NVD splits a version into CPE `version` and `update` (the conventions of its records):
 * `3.10.0a6` → 3.10.0 + alpha6, `8.0.0-rc.2` → 8.0.0 + rc2, `1.8.0_391` and `8u391` → 1.8.0 + update391,
 * `17.0.13+11` → 17.0.13 (the build is no CPE attribute), `20.11.1` → 20.11.1 with no update.
 */
export function cpeVersionParts(v: string): CpeVersion {
  const s = v.trim().replace(/^[vV](?=\d)/, '');
  let m = /^(\d+)u(\d+)(?:-b\d+)?$/.exec(s);
  if (m) return { version: `1.${m[1]}.0`, update: `update${m[2]}` };
  m = /^(\d+(?:\.\d+)*)_(\d+)(?:-b\d+)?$/.exec(s);
  if (m) return { version: m[1]!, update: `update${m[2]}` };
  m = PRE_RE.exec(s);
  if (m) return { version: m[1]!, update: `${PRE[m[2]!.toLowerCase()]!.canon}${m[3] ?? ''}` };
  m = /^(\d+(?:\.\d+)*)\+[0-9A-Za-z.-]+$/.exec(s);
  if (m) return { version: m[1]! };
  return { version: s };
}

/** The rank of a pre-release word (dev < alpha < beta < rc), for comparators that read the same suffixes. */
export function preReleaseRank(word: string): number | undefined {
  return PRE[word.toLowerCase()]?.rank;
}

// ---------------------------------------------------------------------------------------------------- formatted strings

/** CPE 2.3 attribute order after `cpe:2.3:` */
export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'sw_edition',
  'target_sw',
  'target_hw',
  'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];
/** Attribute values as written, unquoted: `*` (ANY) and `-` (NA) keep their meaning, any other value is literal. */
export type Cpe = Record<CpeAttribute, string>;

/** Quotes a literal value for the formatted string: everything but letters, digits, `_`, `-` and `.` gets a backslash (`+` → `\+`). */
export function quoteCpeValue(value: string): string {
  if (value === '') return '*';
  return value.toLowerCase().replace(/[^a-z0-9_.-]/g, (c) => `\\${c}`);
}

/** `cpe:2.3:a:nodejs:node.js:20.11.1:*:*:*:*:*:*:*` for a component of vendor:product at `version` (update from the version). */
export function formatCpe(vendorProduct: string, version: string): string {
  const [vendor, product] = vendorProduct.split(':') as [string, string];
  const { version: v, update } = cpeVersionParts(version);
  return [
    'cpe',
    '2.3',
    'a',
    quoteCpeValue(vendor),
    quoteCpeValue(product),
    quoteCpeValue(v),
    update ? quoteCpeValue(update) : '*',
    '*',
    '*',
    '*',
    '*',
    '*',
    '*',
  ].join(':');
}

/**
 * Splits a CPE 2.3 formatted string at unquoted colons and unquotes each value (`solidfire\,_enterprise` →
 * `solidfire,_enterprise`); undefined when it is not `cpe:2.3:` with 11 attributes. `*` and `-` stay as they are.
 */
export function parseCpe(s: string): Cpe | undefined {
  if (!s.startsWith('cpe:2.3:')) return undefined;
  // most names quote nothing: a plain split
  if (!s.includes('\\')) {
    const plain = s.slice(8).split(':');
    if (plain.length !== CPE_ATTRIBUTES.length) return undefined;
    return {
      part: plain[0]!,
      vendor: plain[1]!,
      product: plain[2]!,
      version: plain[3]!,
      update: plain[4]!,
      edition: plain[5]!,
      language: plain[6]!,
      sw_edition: plain[7]!,
      target_sw: plain[8]!,
      target_hw: plain[9]!,
      other: plain[10]!,
    };
  }
  const parts: string[] = [];
  let cur = '';
  for (let i = 8; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      continue;
    }
    if (c === ':') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  if (parts.length !== CPE_ATTRIBUTES.length) return undefined;
  return Object.fromEntries(CPE_ATTRIBUTES.map((a, i) => [a, parts[i]!])) as Cpe;
}

/**
 * The CPE 2.3 name of a runtime component: the table's `vendor:product` (the vendor's own build when `vendorBuild`
 * is true) at its version; undefined for a name the table does not know.
 */
export function runtimeCpe(name: string, version: string, vendorBuild = false): string | undefined {
  const row = runtimeCpeRow(name);
  if (!row || !version) return undefined;
  return formatCpe(vendorBuild && row.vendorBuild ? row.vendorBuild : row.cpe, version);
}
