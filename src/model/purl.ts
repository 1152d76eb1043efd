// Package URLs (https://github.com/package-url/purl-spec) built and parsed with packageurl-js, per ecosystem naming rules.
import { packageUrl } from './deferred-libs.cts';
import { type Ecosystem, ecosystemRow } from './ecosystem.ts';

/** Splits an ecosystem name into purl namespace and name: `@babel/core`, `org.apache:commons`, `github.com/a/b`, `vendor/pkg`. */
function split(ecosystem: Ecosystem, name: string): [string | undefined, string] {
  const sep = ecosystemRow(ecosystem)?.separator;
  if (!sep) return [undefined, name];
  const i = sep === '/' ? name.lastIndexOf('/') : name.indexOf(sep);
  return i > 0 ? [name.slice(0, i), name.slice(i + 1)] : [undefined, name];
}

// An npm name and version packageurl-js writes as they are but for case: letters, digits and `.`, `_`, `-` (lowercased,
// an optional `@scope/` becoming `%40scope/`), and a version of letters, digits and `.`, `+`, `_`, `-`. Most of an
// installed tree is spelled so; purlFor builds those directly, without loading the library (a test holds both to the
// same bytes).
const PLAIN_NPM_NAME = /^(?:@[A-Za-z0-9._-]+\/)?[A-Za-z0-9._-]+$/;
const PLAIN_VERSION = /^[A-Za-z0-9.+_-]+$/;

/** The canonical purl string of a package, e.g. purlFor('npm', '@babel/core', '7.0.0') → `pkg:npm/%40babel/core@7.0.0`. */
export function purlFor(ecosystem: Ecosystem, name: string, version: string | undefined, qualifiers?: Record<string, string>): string {
  if (ecosystem === 'npm' && qualifiers === undefined && version && PLAIN_NPM_NAME.test(name) && PLAIN_VERSION.test(version))
    return name.charCodeAt(0) === 0x40
      ? `pkg:npm/%40${name.slice(1).toLowerCase()}@${version}`
      : `pkg:npm/${name.toLowerCase()}@${version}`;
  const [namespace, base] = split(ecosystem, name);
  const q = qualifiers && Object.keys(qualifiers).length ? sortRecord(qualifiers) : undefined;
  const PackageURL = packageUrl();
  return new PackageURL(ecosystem, namespace, base, version || undefined, q, undefined).toString();
}

export interface ParsedPurl {
  type: string;
  /** the ecosystem name as component.name spells it (namespace joined back). */
  name: string;
  version?: string;
  qualifiers?: Record<string, string>;
}

// purl → parsed: reading a fleet's SBOMs meets the same purls thousands of times, and packageurl-js parses one in ~5 µs.
// Bounded (cleared when full); parsePurl's callers get a copy, so a caller changing its result never changes another's.
const PARSED = new Map<string, ParsedPurl>();
const PARSED_MAX = 100_000;

/** Parses a purl string back into the component name convention; throws on an invalid purl. */
export function parsePurl(purl: string): ParsedPurl {
  const p = readPurl(purl);
  return p.qualifiers ? { ...p, qualifiers: { ...p.qualifiers } } : { ...p };
}

/** parsePurl for callers that only read the result: one shared, frozen object per purl (no copy). */
export function readPurl(purl: string): Readonly<ParsedPurl> {
  let p = PARSED.get(purl);
  if (!p) {
    p = parse(purl);
    Object.freeze(p.qualifiers);
    Object.freeze(p);
    if (PARSED.size >= PARSED_MAX) PARSED.clear();
    PARSED.set(purl, p);
  }
  return p;
}

function parse(purl: string): ParsedPurl {
  const p = packageUrl().fromString(purl);
  const sep = ecosystemRow(p.type)?.separator ?? '/';
  const name = p.namespace ? `${p.namespace}${sep}${p.name}` : p.name;
  return {
    type: p.type,
    name,
    ...(p.version ? { version: p.version } : {}),
    ...(p.qualifiers ? { qualifiers: { ...(p.qualifiers as Record<string, string>) } } : {}),
  };
}

function sortRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
