// Tools buildpacks install beside the runtimes: npm tarballs in deps/<idx>/<dir> (yarn, pnpm), composer.phar, the JRE's tools. See README.md.
import { makeComponent } from '../../../model/index.ts';
import type { Component, Issue } from '../../../model/index.ts';
import { licensesOf } from '../../licenses.ts';
import { readOrIssue } from '../../read-or-issue.ts';
import type { PackageManager, ParseResult, ScanContext } from '../../types.ts';
import { licenseRaws, str } from '../npm/package.ts';
import { JRE_TOOL, composerPharVersion, toolRuleFor } from './rules.ts';

export { BUILDPACK_TOOLS, composerPharVersion, toolRuleFor } from './rules.ts';

/** The package.json of a package extracted into deps/<idx>/<dir>: name and version, or nothing (a warning says why). */
async function npmTarball(ctx: ScanContext, path: string, issues: Issue[]): Promise<Component | undefined> {
  const text = await readOrIssue(ctx, path, issues, 'warning');
  if (text === undefined) return undefined;
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (err) {
    issues.push({ path, line: 1, severity: 'warning', message: `package.json is not valid JSON: ${(err as Error).message}` });
    return undefined;
  }
  if (!pkg || typeof pkg !== 'object' || Array.isArray(pkg)) return undefined;
  const p = pkg as Record<string, unknown>;
  const name = str(p.name);
  const version = str(p.version);
  // a folder with a package.json that names no versioned package (a config file, an app copy) is no package
  if (!name || !version) return undefined;
  return makeComponent({ ecosystem: 'npm', name, version, licenses: licensesOf(licenseRaws(p)), location: { path, line: 1, source: 'installed' } });
}

async function composerPhar(ctx: ScanContext, path: string, issues: Issue[]): Promise<Component | undefined> {
  let text: string;
  try {
    // latin1 keeps the phar's bytes one-to-one: its PHP sources are stored uncompressed
    text = (await ctx.read(path)).toString('latin1');
  } catch (err) {
    issues.push({ path, severity: 'warning', message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
  const version = composerPharVersion(text);
  if (!version) {
    issues.push({ path, severity: 'warning', message: 'composer: no version found in this file' });
    return undefined;
  }
  return makeComponent({ ecosystem: 'composer', name: 'composer/composer', version, location: { path, source: 'binary' } });
}

function jreTool(path: string): Component | undefined {
  const m = JRE_TOOL.exec(path);
  return m ? makeComponent({ ecosystem: 'generic', name: m[2], version: m[3], location: { path, source: 'binary' } }) : undefined;
}

export const tools: PackageManager = {
  id: 'tools',
  ecosystem: 'generic',
  description: 'Tools buildpacks install beside the runtimes: npm packages extracted into deps/<idx>/<dir> (yarn, pnpm), composer.phar, the JRE\'s jvmkill and memory calculator.',
  matches: (p) => toolRuleFor(p) !== undefined,
  async parse(paths, ctx): Promise<ParseResult> {
    const issues: Issue[] = [];
    const components: Component[] = [];
    for (const p of paths) {
      const rule = toolRuleFor(p);
      const c = rule === 'npm-tarball' ? await npmTarball(ctx, p, issues) : rule === 'composer-phar' ? await composerPhar(ctx, p, issues) : rule === 'jre-tool' ? jreTool(p) : undefined;
      if (c) components.push(c);
    }
    return { components, issues };
  },
};
