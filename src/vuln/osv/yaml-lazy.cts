// CommonJS on purpose, as cvss-lazy.cts: the bundler keeps this require() inside the function, so the YAML parser's
// module is set up when a YAML record is first parsed, not when a scan that reads the prebuilt index starts (its
// advisories are JSON; only a record asked for whole, from a YAML file, needs the parser).
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/** The yaml module, loaded on first call. */
export function yamlModule(): typeof Yaml {
  return (loaded ??= require('yaml') as typeof Yaml);
}
