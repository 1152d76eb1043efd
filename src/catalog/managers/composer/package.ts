// Composer (Packagist) identity and the entry shape shared by composer.lock and vendor/composer/installed.json.
import type { Component, Hash, Location, Scope } from '../../../model/index.ts';
import { fromHex, makeComponent, purlFor } from '../../../model/index.ts';
import { licensesOf } from '../../licenses.ts';

/** A package object as composer.lock and installed.json write it (only the fields read here). */
export interface ComposerPackage {
  name?: unknown;
  version?: unknown;
  license?: unknown;
  require?: unknown;
  dist?: unknown;
}

// Platform requirements are not packages: php, ext-json, lib-icu, composer-plugin-api, composer-runtime-api.
export const PLATFORM = /^(php(-64bit|-ipv6|-zts|-debug)?|hhvm|ext-.+|lib-.+|composer(-plugin-api|-runtime-api)?)$/i;

function record(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** `require` names that are packages (lower case: Composer names are case-insensitive). */
export function requiredNames(p: ComposerPackage): string[] {
  return Object.keys(record(p.require) ?? {})
    .filter((n) => !PLATFORM.test(n) && n.includes('/'))
    .map((n) => n.toLowerCase());
}

/** dist.shasum is a SHA-1 of the archive when non-empty (often empty for GitHub zipballs). */
export function distHashes(p: ComposerPackage): Hash[] {
  const sum = record(p.dist)?.shasum;
  const h = typeof sum === 'string' && sum ? fromHex('sha1', sum) : undefined;
  return h ? [h] : [];
}

export function composerPurl(name: string, version: string): string {
  return purlFor('composer', name, version);
}

/**
 * Builds the component of a package entry; undefined when name or version is missing. Versions are kept as
 * declared (`v4.1.0` stays `v4.1.0`: advisories' ranges are matched with the prefix understood).
 */
export function composerComponent(
  p: ComposerPackage,
  location: Location,
  scope: Scope,
  dependsOn: string[],
  direct?: boolean,
): Component | undefined {
  if (typeof p.name !== 'string' || typeof p.version !== 'string' || !p.name || !p.version) return undefined;
  const lic = Array.isArray(p.license) ? p.license : typeof p.license === 'string' ? [p.license] : [];
  return makeComponent({
    ecosystem: 'composer',
    name: p.name,
    version: p.version,
    scope,
    location,
    licenses: licensesOf(lic.filter((l): l is string => typeof l === 'string')),
    hashes: distHashes(p),
    dependsOn,
    ...(direct !== undefined ? { direct } : {}),
  });
}

/** Finds each package's `"name": "vendor/pkg"` in document order (also the old `vendor\/pkg` escaping). */
export class NameCursor {
  #pos = 0;
  constructor(readonly text: string) {}
  next(name: string): number | undefined {
    // Composer's own formatting first (one indexOf), then any spacing and the escaped-slash form.
    const plain = this.text.indexOf(`"name": ${JSON.stringify(name)}`, this.#pos);
    if (plain >= 0) {
      this.#pos = plain + 1;
      return plain;
    }
    for (const quoted of [JSON.stringify(name), JSON.stringify(name).replace(/\//g, '\\/')]) {
      const re = new RegExp(`"name"\\s*:\\s*${quoted.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'g');
      re.lastIndex = this.#pos;
      const m = re.exec(this.text);
      if (m) {
        this.#pos = m.index + m[0].length;
        return m.index;
      }
    }
    return undefined;
  }
}
