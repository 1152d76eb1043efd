// Python capture: reads every matched lockfile and installed distribution, then lets the installed tree win.
import path from 'node:path';
import type { Component, Issue } from '../../../model/index.ts';
import { beside } from '../../beside.ts';
import { fixEdges } from '../../edges.ts';
import { installedWins, type InstalledWinsRule } from '../../installed-wins.ts';
import { mergeComponents } from '../../merge.ts';
import { readEachOrIssue, readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { mayApplyOnLinux } from './markers.ts';
import { normaliseName, pypiComponent, purlOfPypi } from './package.ts';
import { parseMetadata, type InstalledDist } from './parse-metadata.ts';
import { parsePdmLock } from './parse-pdm-lock.ts';
import { parsePipfileLock } from './parse-pipfile-lock.ts';
import { parsePylock } from './parse-pylock.ts';
import { parsePoetryLock } from './parse-poetry-lock.ts';
import { parseRequirementsTree, type RequirementEntry } from './parse-requirements.ts';
import { parseUvLock } from './parse-uv-lock.ts';
import { readPyproject, type DeclaredRoots } from './pyproject.ts';
import { readToml, asRecord } from './toml.ts';

const TOP_EGG = /^[^/]+\.egg-info(\/PKG-INFO)?$/;
const TOP_DIST = /^[^/]+\.dist-info\/METADATA$/;

// requirements-dev.txt, requirements/test.txt, requirements_docs.txt: not what the buildpack installs.
const DEV_FILE = /(^|[-_./])(dev|develop|development|test|tests|testing|docs?|lint|typing|ci|pre[-_]commit|build)([-_./]|$)/i;

/** The sibling file's text when it is there and readable; undefined otherwise (no issue: it is optional). */
async function sibling(ctx: ScanContext, file: string, name: string): Promise<[string, string] | undefined> {
  const p = beside(file, name);
  if (!ctx.has(p)) return undefined;
  try {
    return [p, await ctx.readText(p)];
  } catch {
    return undefined;
  }
}

/** Installed distributions, requirements files and lockfiles, reconciled: installed wins. */
export async function catalog(files: MatchedFiles<'installed' | 'requirements' | 'lockfile'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const installed: Component[] = [];
  const declared: Component[] = [];

  // 1. Installed distributions, edges resolved within the same site-packages directory.
  const dists = new Map<string, InstalledDist[]>();
  let metaPaths = files.of.installed;
  // `myapp.egg-info` at the top of a project is the project's own metadata (setup.py egg_info, pip install -e .),
  // not an installed package: only a root holding dist-info folders too is taken for a site-packages folder.
  if (!metaPaths.some((x) => TOP_DIST.test(x))) {
    for (const x of metaPaths.filter((y) => TOP_EGG.test(y))) {
      issues.push({
        path: x,
        severity: 'warning',
        message: "taken for the project's own metadata, not an installed package (no *.dist-info beside it)",
      });
    }
    metaPaths = metaPaths.filter((x) => !TOP_EGG.test(x));
  }
  // Reads in parallel (bounded: a site-packages tree has hundreds of distributions), parsed in path order.
  for (const [p, text] of await readEachOrIssue(ctx, metaPaths, issues)) {
    const r = parseMetadata(text, p);
    issues.push(...r.issues);
    if (!r.dist) continue;
    // the site-packages folder the distribution is in ('' when the scanned root is that folder)
    const m = /(^|\/)(site|dist)-packages\//.exec(p);
    const dir = m ? p.slice(0, m.index + m[1].length) : '';
    dists.set(dir, [...(dists.get(dir) ?? []), r.dist]);
  }
  for (const list of dists.values()) {
    const byName = new Map(list.map((d) => [normaliseName(d.name), d]));
    for (const d of list) {
      installed.push(
        pypiComponent({
          name: d.name,
          version: d.version,
          licenses: d.licenses,
          location: { path: d.path, line: d.line, source: 'installed' },
          dependsOn: d.requires.flatMap((n) => {
            const t = byName.get(normaliseName(n));
            return t ? [purlOfPypi(t.name, t.version)] : [];
          }),
        }),
      );
    }
  }

  // 2. Lockfiles and requirements files.
  for (const p of files.paths.filter((x) => files.kindOf(x) !== 'installed')) {
    const base = path.posix.basename(p);
    if (files.kindOf(p) === 'requirements') {
      declared.push(...(await fromRequirements(p, ctx, issues)));
      continue;
    }
    const text = await readOrIssue(ctx, p, issues);
    if (text === undefined) continue;
    if (base === 'Pipfile.lock') {
      const pipfile = await sibling(ctx, p, 'Pipfile');
      const r = parsePipfileLock(text, p, pipfile ? pipfileNames(pipfile[1], pipfile[0]) : undefined);
      declared.push(...r.components);
      issues.push(...r.issues);
    } else if (base.startsWith('pylock')) {
      const r = parsePylock(text, p);
      declared.push(...r.components);
      issues.push(...r.issues);
    } else {
      const py = await sibling(ctx, p, 'pyproject.toml');
      let roots: DeclaredRoots | undefined;
      if (py) roots = readPyproject(py[1], py[0]);
      const r =
        base === 'poetry.lock'
          ? parsePoetryLock(text, p, roots)
          : base === 'pdm.lock'
            ? parsePdmLock(text, p, roots)
            : parseUvLock(text, p);
      declared.push(...r.components);
      issues.push(...r.issues);
    }
  }

  const renamed = new Map<string, string>();
  const merged = mergeComponents(installedWins(installed, declared, PYTHON_RULE, issues, renamed));
  // A file included by several matched requirements files is read once per includer: report its issues once.
  const seen = new Set<string>();
  const unique = issues.filter((i) => {
    const k = `${i.path}\0${i.line ?? 0}\0${i.message}`;
    return !seen.has(k) && (seen.add(k), true);
  });
  return { components: fixEdges(merged, renamed), issues: unique };
}

/** Names a Pipfile lists under [packages] and [dev-packages] (PEP 503-normalised). */
function pipfileNames(text: string, file: string): Set<string> {
  const { doc } = readToml(text, file, 'source');
  const out = new Set<string>();
  for (const t of ['packages', 'dev-packages']) for (const k of Object.keys(asRecord(doc[t]) ?? {})) out.add(normaliseName(k));
  return out;
}

/**
 * Requirements with their -r includes; -c constraints pin the version of a requirement that has none.
 * An unpinned requirement nothing pins becomes a component without version (purl without @version): it
 * is declared, but what ships is only known from the installed tree. `-e .` (the project) is no component;
 * a URL whose package name cannot be told is a warning. A requirement whose marker is false on Linux is
 * not installed by the buildpack and is left out.
 */
async function fromRequirements(file: string, ctx: ScanContext, issues: Issue[]): Promise<Component[]> {
  const r = await parseRequirementsTree(file, async (p) => (ctx.has(p) ? ctx.readText(p) : undefined));
  issues.push(...r.issues);
  const pins = new Map<string, RequirementEntry>();
  for (const e of r.entries) if (e.constraint && e.name && e.version) pins.set(normaliseName(e.name), e);
  const scope = DEV_FILE.test(file.replace(/^.*?(requirements)/, '$1')) ? 'dev' : 'required';
  const out: Component[] = [];
  for (const e of r.entries) {
    if (e.constraint || !mayApplyOnLinux(e.marker)) continue;
    if (!e.name) {
      if (!e.editable)
        issues.push({
          path: e.path,
          line: e.line,
          severity: 'warning',
          message: `cannot tell the package name of "${e.url}": not captured`,
        });
      continue;
    }
    if (e.editable && !e.url?.match(/^[a-z]+\+/i)) continue;
    const pin = e.version ? undefined : pins.get(normaliseName(e.name));
    const version = e.version ?? pin?.version ?? '';
    // '#egg=name' only names the package for pip: not part of the URL the purl records.
    const url = e.url?.replace(/#.*$/, '');
    const qualifiers = url ? { [/^[a-z]+\+/i.test(url) ? 'vcs_url' : 'download_url']: url } : undefined;
    const c = pypiComponent({
      name: e.name,
      version,
      scope,
      hashes: e.hashes,
      direct: true,
      location: { path: e.path, line: e.line, source: version ? 'lockfile' : 'manifest' },
      ...(qualifiers ? { qualifiers } : {}),
    });
    if (pin) c.locations.push({ path: pin.path, line: pin.line, source: 'lockfile' });
    out.push(c);
  }
  return out;
}

/**
 * Installed wins (src/catalog/installed-wins.ts): a declared package that is installed takes the installed version
 * (keeping its own location, and its hashes only when the versions agree; a disagreement is a warning). When the
 * installed tree holds any of the declared packages, a declared package that is not installed is not shipped and is
 * left out. With no installed tree (an app dir before staging), the declarations stand. Names match by PEP 503.
 */
const PYTHON_RULE: InstalledWinsRule = {
  key: normaliseName,
  agree: (declared, installed) =>
    declared.version === installed.version ? { ...declared, purl: installed.purl, name: installed.name } : undefined,
};
