// Cargo.lock (https://doc.rust-lang.org/cargo/guide/cargo-toml-vs-cargo-lock.html): pre-v1 `[root]`, v1 `[metadata]` checksums, implicit v2, v3, v4.
import type { Component, Hash, Issue } from '../../../model/index.ts';
import { makeComponent } from '../../../model/index.ts';

const CRATES_IO = 'registry+https://github.com/rust-lang/crates.io-index';

interface Entry {
  name?: string;
  version?: string;
  source?: string;
  checksum?: string;
  deps: string[];
  line: number;
  root: boolean;
}

/**
 * Reads Cargo.lock line by line (Cargo writes one key per line, arrays one item per line), so every
 * entry keeps its line and a truncated file still yields the entries before the cut.
 * Workspace crates (no `source`, and the pre-v1 `[root]`) are the application itself: they are not reported,
 * but their dependencies are marked direct.
 */
export function parseCargoLock(text: string, path: string): { components: Component[]; issues: Issue[] } {
  const issues: Issue[] = [];
  const entries: Entry[] = [];
  const metaChecksums = new Map<string, string>();
  let cur: Entry | undefined;
  let section: 'package' | 'metadata' | 'other' = 'other';
  let inDeps = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].replace(/\r$/, '');
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    if (inDeps) {
      if (t === ']') {
        inDeps = false;
        continue;
      }
      // ` "memchr 2.3.3 (registry+https://…)",` → memchr 2.3.3 (registry+https://…)
      const m = /^"([^"]*)",?$/.exec(t);
      if (m && cur) cur.deps.push(m[1]);
      else issues.push({ path, line: i + 1, severity: 'warning', message: `unexpected line in dependencies: ${t.slice(0, 80)}` });
      continue;
    }
    if (t.startsWith('[')) {
      cur = undefined;
      if (t === '[[package]]' || t === '[root]') {
        section = 'package';
        cur = { deps: [], line: i + 1, root: t === '[root]' };
        entries.push(cur);
      } else if (t === '[metadata]') section = 'metadata';
      else section = 'other';
      continue;
    }
    if (section === 'metadata') {
      // "checksum aho-corasick 0.7.10 (registry+https://…)" = "8716…"
      const m = /^"checksum ([^"]+)" = "([0-9a-fA-F]+)"$/.exec(t);
      if (m) metaChecksums.set(m[1], m[2].toLowerCase());
      continue;
    }
    if (section !== 'package' || !cur) continue;
    const kv = /^([A-Za-z_-]+)\s*=\s*(.*)$/.exec(t);
    if (!kv) {
      issues.push({ path, line: i + 1, severity: 'warning', message: `cannot read line: ${t.slice(0, 80)}` });
      continue;
    }
    const [, key, raw] = kv;
    if (key === 'dependencies') {
      if (raw === '[') inDeps = true;
      else if (raw.startsWith('[')) for (const m of raw.matchAll(/"([^"]*)"/g)) cur.deps.push(m[1]);
      continue;
    }
    const sv = /^"(.*)"$/.exec(raw);
    if (!sv) continue;
    if (key === 'name') cur.name = sv[1];
    else if (key === 'version') cur.version = sv[1];
    else if (key === 'source') cur.source = sv[1];
    else if (key === 'checksum') cur.checksum = sv[1];
  }
  if (inDeps) issues.push({ path, line: lines.length, severity: 'error', message: 'file ends inside a dependencies list (truncated?)' });

  const valid = entries.filter((e) => {
    if (e.name && e.version) return true;
    issues.push({
      path,
      line: e.line,
      severity: 'error',
      message: `package entry without ${e.name ? 'version' : 'name'} (truncated or malformed)`,
    });
    return false;
  });
  const byName = new Map<string, Entry[]>();
  for (const e of valid) byName.set(e.name!, [...(byName.get(e.name!) ?? []), e]);

  // A dependency reference is `name`, `name version` or `name version (source)`; resolve it to one entry.
  const resolve = (ref: string): Entry | undefined => {
    const m = /^(\S+)(?: (\S+))?(?: \((.+)\))?$/.exec(ref);
    if (!m) return undefined;
    const cands = byName.get(m[1]) ?? [];
    const hits = cands.filter((c) => (!m[2] || c.version === m[2]) && (!m[3] || c.source === m[3]));
    return hits.length >= 1 ? hits[0] : undefined;
  };

  const isApp = (e: Entry) => e.root || !e.source;
  const direct = new Set<Entry>();
  for (const e of valid)
    if (isApp(e))
      for (const d of e.deps) {
        const r = resolve(d);
        if (r && !isApp(r)) direct.add(r);
      }

  const purls = new Map<Entry, string>();
  const components: Component[] = [];
  for (const e of valid) {
    if (isApp(e)) continue;
    const hashes: Hash[] = [];
    const sum = e.checksum ?? metaChecksums.get(`${e.name} ${e.version} (${e.source})`);
    if (sum && /^[0-9a-fA-F]{64}$/.test(sum)) hashes.push({ alg: 'SHA-256', value: sum.toLowerCase() });
    const qualifiers: Record<string, string> = {};
    const src = e.source!;
    if (src.startsWith('git+')) {
      // git+https://github.com/astral-sh/pubgrub?rev=d8ef…#d8ef… → vcs_url git+https://github.com/astral-sh/pubgrub@d8ef…
      const g = /^git\+([^?#]+)(?:\?[^#]*)?(?:#(.+))?$/.exec(src);
      if (g) qualifiers.vcs_url = `git+${g[1]}${g[2] ? `@${g[2]}` : ''}`;
      else issues.push({ path, line: e.line, severity: 'warning', message: `unrecognised git source for ${e.name}: ${src}` });
    } else if (src !== CRATES_IO && src !== 'sparse+https://index.crates.io/') {
      qualifiers.repository_url = src.replace(/^(registry|sparse)\+/, '');
    }
    const c = makeComponent({
      ecosystem: 'cargo',
      name: e.name!,
      version: e.version!,
      location: { path, line: e.line, source: 'lockfile' },
      hashes,
      direct: direct.has(e),
      qualifiers,
    });
    purls.set(e, c.purl);
    components.push(c);
  }
  // Edges second, once every purl is known.
  let k = 0;
  for (const e of valid) {
    if (isApp(e)) continue;
    const c = components[k++];
    const deps = new Set<string>();
    for (const d of e.deps) {
      const r = resolve(d);
      const p = r && purls.get(r);
      if (p) deps.add(p);
      else if (!r)
        issues.push({
          path,
          line: e.line,
          severity: 'warning',
          message: `${e.name} ${e.version}: dependency "${d}" not found in the lockfile`,
        });
    }
    c.dependsOn = [...deps].sort();
  }
  return { components, issues };
}
