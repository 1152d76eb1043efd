// Every YAML manifest block in README.md, docs/*.md and the READMEs beside the code passes `bpx validate`: an example a
// reader copies must never be one that bpx rejects.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';
import { generateKeyPair } from '../../src/sbom/sign/keys.ts';
import { bundle, ensureBundle, repoRoot, tempDir } from '../lifecycle/helpers.ts';

interface Block {
  where: string;
  text: string;
}

function markdownFiles(): string[] {
  const out = [join(repoRoot, 'README.md')];
  for (const d of ['docs']) for (const f of readdirSync(join(repoRoot, d))) if (f.endsWith('.md')) out.push(join(repoRoot, d, f));
  for (const d of ['extensions', 'buildpack-wrapper']) {
    const base = join(repoRoot, d);
    if (existsSync(join(base, 'README.md'))) out.push(join(base, 'README.md'));
    for (const f of readdirSync(base, { withFileTypes: true }))
      if (f.isDirectory() && existsSync(join(base, f.name, 'README.md'))) out.push(join(base, f.name, 'README.md'));
  }
  return out.sort();
}

/** ```yaml blocks, also indented ones inside list items, dedented. */
function yamlBlocks(file: string): Block[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```ya?ml\s*$/.exec(lines[i]);
    if (!open) continue;
    const indent = open[1].length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]); j++)
      body.push(lines[j].slice(Math.min(indent, lines[j].length - lines[j].trimStart().length)));
    out.push({ where: `${relative(repoRoot, file)}:${i + 1}`, text: `${body.join('\n')}\n` });
    i = j;
  }
  return out;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);

/** Creates what a manifest names (scripts, keys, databases, CA files) so that validate checks the manifest itself. */
function provide(dir: string, m: Obj): void {
  const file = (rel: string, content: string, mode = 0o644) => {
    const p = join(dir, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
    chmodSync(p, mode);
  };
  for (const e of Array.isArray(m.extensions) ? m.extensions : []) {
    if (!isObj(e)) continue;
    const w = isObj(e.with) ? e.with : {};
    if (typeof e.run === 'string') file(e.run, '#!/bin/sh\n', 0o755);
    if (Array.isArray(e.run))
      for (const a of e.run.slice(1)) if (typeof a === 'string' && /^[\w.-]+\/[\w./-]+$/.test(a)) file(a, '#\n', 0o755);
    if (typeof w.caFile === 'string') file(w.caFile, '-----BEGIN CERTIFICATE-----\n');
    if (e.uses === 'builtin:sbom' && isObj(w.signingKey)) {
      if (typeof w.signingKey.file === 'string') file(w.signingKey.file, generateKeyPair('ed25519').privatePem, 0o600);
      if (typeof w.signingKey.caFile === 'string') file(w.signingKey.caFile, '-----BEGIN CERTIFICATE-----\n');
    }
    const vulnerabilities = e.uses === 'builtin:osv' || e.uses === 'builtin:vulnerabilities';
    for (const key of ['db', 'osv'] as const) {
      const db = w[key];
      if (vulnerabilities && typeof db === 'string')
        file(join(db, 'npm', 'GHSA-0000-0000-0000.json'), '{"id": "GHSA-0000-0000-0000", "modified": "2026-01-01T00:00:00Z"}\n');
    }
    const nvd = typeof w.nvd === 'string' ? [w.nvd] : Array.isArray(w.nvd) ? w.nvd : [];
    for (const p of nvd)
      if (vulnerabilities && typeof p === 'string') file(join(p, 'CVE-2024-0001.json'), '{"cve": {"id": "CVE-2024-0001"}}\n');
  }
}

test('every YAML manifest in the docs is whole and passes bpx validate', async () => {
  ensureBundle();
  const root = tempDir('bpx-docs-');
  const checked: Array<{ where: string; file: string }> = [];
  const fragments: string[] = [];
  for (const md of markdownFiles()) {
    for (const b of yamlBlocks(md)) {
      let data: unknown;
      try {
        data = parse(b.text);
      } catch (err) {
        assert.unreachable(`${b.where}: not YAML: ${(err as Error).message}`);
      }
      const looksLikeManifest = isObj(data) && ('version' in data || 'extensions' in data || 'app' in data);
      const looksLikeFragment = Array.isArray(data) && data.some((x) => isObj(x) && ('uses' in x || 'run' in x || 'http' in x));
      if (looksLikeFragment) fragments.push(b.where);
      if (!looksLikeManifest) continue;
      const dir = join(root, `m${checked.length}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'bpx.yml'), b.text);
      provide(dir, data as Obj);
      checked.push({ where: b.where, file: `m${checked.length}/bpx.yml` });
    }
  }
  assert.equal(fragments, [], 'examples of extensions are whole manifests (version: 1, extensions: [...]) so that they can be validated');
  assert.ok(checked.length >= 8, `found ${checked.length} manifest blocks`);
  const r = await execa(process.execPath, [bundle, 'validate', ...checked.map((c) => c.file)], { cwd: root, reject: false });
  const byFile = new Map(checked.map((c) => [c.file, c.where]));
  const problems = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const f = l.split(':')[0];
      return `${byFile.get(f) ?? f}: ${l.slice(f.length + 1)}`;
    });
  assert.equal(problems, [], 'doc examples that bpx validate rejects (or warns about)');
  assert.is(r.exitCode, 0, r.stderr);
});

test.run();
