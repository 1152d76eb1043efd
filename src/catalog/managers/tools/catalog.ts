// Tools capture: an npm package's package.json in deps/<idx>/<dir>, composer.phar's version string, the JRE tools' file names.
import { makeComponent } from '../../../model/index.ts';
import type { Component, Issue } from '../../../model/index.ts';
import { licensesOf } from '../../licenses.ts';
import { licenseRaws, str } from '../../node-modules.ts';
import { readBytesOrIssue, readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { JRE_TOOL, composerPharVersion } from './rules.ts';

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
  return makeComponent({
    ecosystem: 'npm',
    name,
    version,
    licenses: licensesOf(licenseRaws(p)),
    location: { path, line: 1, source: 'installed' },
  });
}

async function composerPhar(ctx: ScanContext, path: string, issues: Issue[]): Promise<Component | undefined> {
  // latin1 keeps the phar's bytes one-to-one: its PHP sources are stored uncompressed
  const text = (await readBytesOrIssue(ctx, path, issues, 'warning'))?.toString('latin1');
  if (text === undefined) return undefined;
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

export async function catalog(files: MatchedFiles<'npmTarball' | 'composerPhar' | 'jreTool'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const components: Component[] = [];
  for (const p of files.paths) {
    const kind = files.kindOf(p);
    const c =
      kind === 'npmTarball'
        ? await npmTarball(ctx, p, issues)
        : kind === 'composerPhar'
          ? await composerPhar(ctx, p, issues)
          : kind === 'jreTool'
            ? jreTool(p)
            : undefined;
    if (c) components.push(c);
  }
  return { components, issues };
}
