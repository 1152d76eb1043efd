// NuGet / .NET: packages.lock.json and the *.deps.json of published apps. See README.md.
import type { Component, Issue } from '../../../model/index.ts';
import type { PackageManager, ParseResult } from '../../types.ts';
import { parsePackagesLock } from './parse-packages-lock.ts';
import { parseDepsJson } from './parse-deps-json.ts';
import { readOrIssue } from '../../read-or-issue.ts';

export { parsePackagesLock, contentHashToHex } from './parse-packages-lock.ts';
export { parseDepsJson } from './parse-deps-json.ts';

const LOCK = /(^|\/)packages\.lock\.json$/;
const DEPS = /(^|\/)[^/]+\.deps\.json$/;
/** The .NET runtime and SDK carry their own deps.json files (shared/Microsoft.NETCore.App/8.0.x/…): the runtimes manager reports those. */
const DOTNET_INSTALL = /(^|\/)(shared|sdk|packs|sdk-manifests)\/Microsoft\.[^/]+\/|(^|\/)sdk\/\d[^/]*\//;

export const nuget: PackageManager = {
  id: 'nuget',
  ecosystem: 'nuget',
  description: 'NuGet packages from packages.lock.json (v1, v2; every target framework) and published .NET apps\' *.deps.json.',
  matches: (p) => LOCK.test(p) || (DEPS.test(p) && !DOTNET_INSTALL.test(p)),
  async parse(paths, ctx): Promise<ParseResult> {
    const out: ParseResult = { components: [], issues: [] };
    const locked: Component[] = [];
    const installed: Component[] = [];
    for (const path of paths) {
      const text = await readOrIssue(ctx, path, out.issues);
      if (text === undefined) continue;
      const r = LOCK.test(path) ? parsePackagesLock(text, path) : parseDepsJson(text, path);
      (LOCK.test(path) ? locked : installed).push(...r.components);
      out.issues.push(...r.issues);
    }
    // what a published app ships (deps.json) wins over what a lock file says; the lock's location is kept as evidence
    const shipped = new Map<string, Component>();
    for (const c of installed) {
      const k = c.name.toLowerCase();
      if (!shipped.has(k)) shipped.set(k, c);
    }
    for (const c of locked) {
      const s = installed.length ? shipped.get(c.name.toLowerCase()) : undefined;
      if (s) s.locations.push(...c.locations);
      else out.components.push(c);
    }
    out.components.push(...installed);
    return out;
  },
};
