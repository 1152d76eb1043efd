// vendor/composer/installed.json (Composer 1: an array; Composer 2: {packages, dev, dev-package-names}).
import type { Component, Issue } from '../../../model/index.ts';
import { jsonError } from './json.ts';
import { packageList } from './parse-composer-lock.ts';

/** What Composer installed. Composer 2 names the dev packages (`dev-package-names`); Composer 1 cannot tell: all required. */
export function parseInstalledJson(text: string, file: string): { components: Component[]; issues: Issue[] } {
  const issues: Issue[] = [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { components: [], issues: [jsonError(text, file, err)] };
  }
  if (Array.isArray(parsed)) return { components: packageList({ packages: parsed }, text, file, issues, undefined, 'installed'), issues };
  if (!parsed || typeof parsed !== 'object') {
    return {
      components: [],
      issues: [{ path: file, line: 1, severity: 'error', message: 'not an installed.json: neither an array nor an object' }],
    };
  }
  const doc = parsed as Record<string, unknown>;
  const devNames = new Set(
    (Array.isArray(doc['dev-package-names']) ? doc['dev-package-names'] : [])
      .filter((n): n is string => typeof n === 'string')
      .map((n) => n.toLowerCase()),
  );
  return { components: packageList({ packages: doc.packages }, text, file, issues, undefined, 'installed', devNames), issues };
}
