// Gemfile.lock (Bundler lockfile: GEM/GIT/PATH specs, PLATFORMS, DEPENDENCIES, CHECKSUMS, BUNDLED WITH).
import type { Component, Hash, Issue, Scope } from '../../../model/index.ts';
import { fromHex } from '../../../model/index.ts';
import { scopesByReach } from '../../reach.ts';
import { gemComponent, gemPurl, splitPlatform } from './package.ts';
import { onlyDevGroups } from './parse-gemfile.ts';

export interface GemSpec {
  name: string;
  version: string;
  platform?: string;
  section: 'GEM' | 'GIT' | 'PATH' | 'PLUGIN SOURCE';
  remote?: string;
  revision?: string;
  /** names of the gems this spec depends on */
  deps: string[];
  line: number;
}

export interface GemfileLock {
  specs: GemSpec[];
  /** top-level DEPENDENCIES names (`rails!` → rails) */
  dependencies: string[];
  platforms: string[];
  /** CHECKSUMS: 'name (version[-platform])' → hashes */
  checksums: Map<string, Hash[]>;
  bundledWith?: string;
  issues: Issue[];
}

const SOURCES = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);
// '    nokogiri (1.10.10-java)' (4 spaces) and '      racc (~> 1.4)' (6 spaces)
const SPEC = /^ {4}([^ (]+) \(([^)]+)\)\s*$/;
const SPEC_DEP = /^ {6}([^ (]+)(?: \(([^)]*)\))?\s*$/;
// '  action_text-trix (2.1.16) sha256=f645…'
const CHECKSUM = /^ {2}(\S+) \(([^)]+)\)((?:\s+\S+)*)\s*$/;

/** Reads a Gemfile.lock line by line; an unreadable line is an issue and the rest is still read. */
export function parseGemfileLock(text: string, file: string): GemfileLock {
  const out: GemfileLock = { specs: [], dependencies: [], platforms: [], checksums: new Map(), issues: [] };
  const lines = text.split(/\r?\n/);
  let section = '';
  let remote: string | undefined;
  let revision: string | undefined;
  let inSpecs = false;
  let current: GemSpec | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (!l.trim()) continue;
    if (!l.startsWith(' ')) {
      section = l.trim();
      remote = revision = undefined;
      inSpecs = false;
      current = undefined;
      continue;
    }
    if (SOURCES.has(section)) {
      const opt = /^ {2}(\w+):\s*(.*)$/.exec(l);
      if (opt) {
        if (opt[1] === 'remote') remote = opt[2];
        else if (opt[1] === 'revision') revision = opt[2];
        inSpecs = opt[1] === 'specs';
        continue;
      }
      if (!inSpecs) continue;
      const s = SPEC.exec(l);
      if (s) {
        const [version, platform] = splitPlatform(s[2]);
        current = {
          name: s[1],
          version,
          ...(platform ? { platform } : {}),
          section: section as GemSpec['section'],
          ...(remote ? { remote } : {}),
          ...(revision ? { revision } : {}),
          deps: [],
          line: i + 1,
        };
        out.specs.push(current);
        continue;
      }
      const d = SPEC_DEP.exec(l);
      if (d && current) {
        current.deps.push(d[1]);
        continue;
      }
      out.issues.push({
        path: file,
        line: i + 1,
        severity: 'warning',
        message: `unreadable spec line in ${section}: "${l.trim().slice(0, 80)}"`,
      });
    } else if (section === 'DEPENDENCIES') {
      const m = /^ {2}([^ (!]+)!?/.exec(l);
      if (m) out.dependencies.push(m[1]);
    } else if (section === 'PLATFORMS') {
      out.platforms.push(l.trim());
    } else if (section === 'BUNDLED WITH') {
      out.bundledWith = l.trim();
    } else if (section === 'CHECKSUMS') {
      const m = CHECKSUM.exec(l);
      if (!m) continue;
      const hashes = m[3]
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map((h) => fromHex(h))
        .filter((h): h is Hash => !!h);
      out.checksums.set(`${m[1]} (${m[2]})`, hashes);
    }
  }
  if (!out.specs.length && !/^(GEM|GIT|PATH|PLATFORMS|DEPENDENCIES)\s*$/m.test(text)) {
    out.issues.push({ path: file, line: 1, severity: 'error', message: 'not a Gemfile.lock: no GEM, GIT, PATH or DEPENDENCIES section' });
  }
  return out;
}

/**
 * One component per spec entry (platform variants are separate: `pkg:gem/nokogiri@1.10.10?platform=java`).
 * Scope: what the Gemfile's non-dev roots reach is required; what only development/test roots reach is dev
 * (the CF ruby buildpack installs with BUNDLE_WITHOUT=development:test); with no Gemfile, or for a gem no
 * root reaches, required. A dependency edge goes to the platform-less (ruby) variant when there is one, else
 * to every variant of that name.
 */
export function gemfileLockComponents(lock: GemfileLock, file: string, groups?: Map<string, Set<string>>): Component[] {
  const byName = new Map<string, GemSpec[]>();
  for (const s of lock.specs) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  const targets = (name: string): GemSpec[] => {
    const all = byName.get(name) ?? [];
    const plain = all.filter((s) => !s.platform);
    return plain.length ? plain : all;
  };
  const specsOf = (names: readonly string[]): GemSpec[] => names.flatMap((n) => byName.get(n) ?? []);
  const scopes = groups
    ? scopesByReach((s: GemSpec) => specsOf(s.deps), {
        required: specsOf(lock.dependencies.filter((n) => !onlyDevGroups(groups.get(n)))),
        dev: specsOf(lock.dependencies.filter((n) => onlyDevGroups(groups.get(n)))),
      })
    : new Map<GemSpec, Scope>();
  const direct = new Set(lock.dependencies);
  return lock.specs.map((s) =>
    gemComponent({
      name: s.name,
      version: s.version,
      ...(s.platform ? { platform: s.platform } : {}),
      scope: scopes.get(s) ?? 'required',
      hashes: lock.checksums.get(`${s.name} (${s.version}${s.platform ? `-${s.platform}` : ''})`) ?? [],
      location: { path: file, line: s.line, source: 'lockfile' },
      dependsOn: [...new Set(s.deps.flatMap((d) => targets(d).map((t) => gemPurl(t.name, t.version, t.platform))))].sort(),
      direct: direct.has(s.name),
    }),
  );
}
