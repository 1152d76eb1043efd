// `fleet buildpacks --outdated name=version`: the apps staged with an older buildpack than the one given (the restage list).
import { schemeFor } from '../vuln/versions/index.ts';
import type { AppBuildpacks, BuildpackRow } from './types.ts';

export interface OutdatedRule {
  /** the buildpack's key (as `cf buildpacks` lists it) or its config.yml name, case-insensitive */
  name: string;
  version: string;
}

/** `nodejs_buildpack=1.8.30` → a rule; throws when it is not NAME=VERSION. */
export function parseOutdated(spec: string): OutdatedRule {
  const m = /^([^=\s]+)=(v?\d[^\s]*)$/.exec(spec.trim());
  if (!m) throw new Error(`--outdated ${spec}: give NAME=VERSION (nodejs_buildpack=1.8.30)`);
  return { name: m[1]!, version: m[2]! };
}

export interface OutdatedApp {
  app: AppBuildpacks;
  buildpack: BuildpackRow;
  /** the version to restage with */
  wanted: string;
  /** below the version given, or unknown (a buildpack that reported no version) */
  reason: 'older' | 'version unknown';
}

const matches = (b: BuildpackRow, name: string) =>
  b.key?.toLowerCase() === name.toLowerCase() || b.name?.toLowerCase() === name.toLowerCase();

/** Each app whose current droplet was staged by a buildpack a rule names, at a version below the rule's (semver order). */
export function outdated(apps: readonly AppBuildpacks[], rules: readonly OutdatedRule[]): OutdatedApp[] {
  const semver = schemeFor('npm')!;
  const out: OutdatedApp[] = [];
  for (const app of apps) {
    for (const b of app.buildpacks) {
      const rule = rules.find((r) => matches(b, r.name));
      if (!rule) continue;
      if (!b.version) out.push({ app, buildpack: b, wanted: rule.version, reason: 'version unknown' });
      else if (semver.compare(b.version, rule.version) < 0) out.push({ app, buildpack: b, wanted: rule.version, reason: 'older' });
    }
  }
  return out;
}
