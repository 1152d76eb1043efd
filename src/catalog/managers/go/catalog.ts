// Go capture: go.mod with the vendor/modules.txt beside it (vendored versions win), lone modules.txt files, and Go binaries' build info.
import type { Issue } from '../../../model/index.ts';
import { beside } from '../../beside.ts';
import { readBytesOrIssue, readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { GoComponents } from './package.ts';
import { goVersionToSemver, isExecutable, readBuildInfo } from './parse-buildinfo.ts';
import { isLocalPath, parseGoMod, replacementFor } from './parse-go-mod.ts';
import { type VendoredModule, parseModulesTxt } from './parse-modules-txt.ts';

/** The version a vendored module or binary dependency is built at; undefined for a local directory replacement (app source). */
function builtVersion(m: Pick<VendoredModule, 'version' | 'replacedBy'>): string | undefined {
  const version = m.replacedBy ? m.replacedBy.version : m.version;
  return !version || (m.replacedBy && isLocalPath(m.replacedBy.path)) ? undefined : version;
}

/** A modules.txt's modules with the version each is compiled at (undefined after an issue when unreadable). */
async function readVendored(
  ctx: ScanContext,
  vendorPath: string,
  issues: Issue[],
): Promise<Array<{ path: string; version: string; line: number }> | undefined> {
  const vt = await readOrIssue(ctx, vendorPath, issues);
  if (vt === undefined) return undefined;
  const v = parseModulesTxt(vt, vendorPath);
  issues.push(...v.issues);
  return v.modules.flatMap((m) => {
    const version = builtVersion(m);
    return version ? [{ path: m.path, version, line: m.line }] : [];
  });
}

export async function catalog(files: MatchedFiles<'module' | 'vendor' | 'binary'>, ctx: ScanContext): Promise<ParseResult> {
  const issues: Issue[] = [];
  const out = new GoComponents();
  const vendored = new Set(files.of.vendor);
  for (const modPath of files.of.module) {
    const text = await readOrIssue(ctx, modPath, issues);
    if (text === undefined) continue;
    const r = parseGoMod(text, modPath);
    issues.push(...r.issues);
    const vendorPath = beside(modPath, 'vendor/modules.txt');
    // vendor/modules.txt is what `go build -mod=vendor` compiles: its version wins over go.mod's
    const vendorVersion = new Map<string, { version: string; line: number }>();
    if (vendored.has(vendorPath)) {
      vendored.delete(vendorPath);
      for (const m of (await readVendored(ctx, vendorPath, issues)) ?? []) vendorVersion.set(m.path, m);
    }
    const inMod = new Set<string>();
    for (const req of r.mod.requires) {
      if (r.mod.excludes.has(`${req.path}@${req.version}`)) {
        issues.push({
          path: modPath,
          line: req.line,
          severity: 'warning',
          message: `${req.path} ${req.version} is required and excluded: not reported`,
        });
        continue;
      }
      const rep = replacementFor(r.mod, req.path, req.version);
      // a local directory replacement is source inside the app, not a downloaded module
      if (rep && (isLocalPath(rep.newPath) || !rep.newVersion)) continue;
      inMod.add(req.path);
      const v = vendorVersion.get(req.path);
      const version = v?.version ?? rep?.newVersion ?? req.version;
      const c = out.add(req.path, version, { path: modPath, line: req.line, source: 'manifest' }, !req.indirect);
      if (v) c.locations.push({ path: vendorPath, line: v.line, source: 'installed' });
    }
    for (const [p, v] of vendorVersion) if (!inMod.has(p)) out.add(p, v.version, { path: vendorPath, line: v.line, source: 'installed' });
  }
  // a modules.txt without a go.mod beside it (pre-1.14 vendoring) still lists what is compiled
  for (const vendorPath of vendored) {
    for (const m of (await readVendored(ctx, vendorPath, issues)) ?? [])
      out.add(m.path, m.version, { path: vendorPath, line: m.line, source: 'installed' });
  }
  for (const binPath of files.of.binary) {
    const bin = await readBytesOrIssue(ctx, binPath, issues, 'warning');
    if (bin === undefined || !isExecutable(bin)) continue;
    const b = readBuildInfo(bin, binPath);
    issues.push(...b.issues);
    if (!b.info) continue;
    const loc = { path: binPath, source: 'binary' as const };
    for (const d of b.info.deps) {
      const version = builtVersion(d);
      if (version) out.add(d.path, version, loc);
    }
    // the standard library compiled into the binary: OSV's Go database lists its advisories under `stdlib`
    const std = goVersionToSemver(b.info.goVersion);
    if (std) out.add('stdlib', std, loc);
  }
  const components = out.list().sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
  return { components, issues };
}
