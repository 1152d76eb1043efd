// Go modules: go.mod, vendor/modules.txt and the build info inside Go executables. See README.md.
import path from 'node:path';
import type { Issue } from '../../../model/index.ts';
import type { PackageManager, ParseResult, ScanContext } from '../../types.ts';
import { GoComponents } from './package.ts';
import { isLocalPath, parseGoMod, replacementFor } from './parse-go-mod.ts';
import { parseModulesTxt } from './parse-modules-txt.ts';
import { goVersionToSemver, isExecutable, readBuildInfo } from './parse-buildinfo.ts';
import { readOrIssue } from '../../read-or-issue.ts';

export { parseGoMod, replacementFor, isLocalPath } from './parse-go-mod.ts';
export { parseModulesTxt } from './parse-modules-txt.ts';
export { readBuildInfo, parseModinfo, goVersionToSemver, BUILDINFO_MAGIC } from './parse-buildinfo.ts';

const GO_MOD = /(^|\/)go\.mod$/;
/** go.mod files of vendored modules, the module cache and test data describe other modules' builds, not the app's. */
const NOT_APP_MODULE = /(^|\/)(vendor|testdata)\/|(^|\/)pkg\/mod\//;
const MODULES_TXT = /(^|\/)vendor\/modules\.txt$/;
/** Executables the go buildpack installs: `app/bin/<name>` (go install with GOBIN=$BUILD_DIR/bin); never deps/ (the Go toolchain). */
const BINARY = /(^|\/)bin\/[^/.]+$/;
/** A prebuilt binary pushed with the binary buildpack sits at the app root: `app/<name>` (or `<name>` when scanning an app dir). */
const ROOT_BINARY = /^(app\/)?[^/.]+$/;

/** Candidates only: the file must still start with an executable header and carry Go build info. */
const isBinaryPath = (p: string) => !p.startsWith('deps/') && (BINARY.test(p) || ROOT_BINARY.test(p));


export const go: PackageManager = {
  id: 'go',
  ecosystem: 'golang',
  description: 'Go modules from go.mod (require, replace, exclude), vendor/modules.txt, and the build info of Go binaries (app/bin, app root).',
  matches: (p) => (GO_MOD.test(p) && !NOT_APP_MODULE.test(p)) || MODULES_TXT.test(p) || isBinaryPath(p),
  async parse(paths, ctx): Promise<ParseResult> {
    const issues: Issue[] = [];
    const out = new GoComponents();
    const vendored = new Set(paths.filter((p) => MODULES_TXT.test(p)));
    for (const modPath of paths.filter((p) => GO_MOD.test(p) && !NOT_APP_MODULE.test(p))) {
      const text = await readOrIssue(ctx, modPath, issues);
      if (text === undefined) continue;
      const r = parseGoMod(text, modPath);
      issues.push(...r.issues);
      const dir = path.posix.dirname(modPath);
      const vendorPath = dir === '.' ? 'vendor/modules.txt' : `${dir}/vendor/modules.txt`;
      // vendor/modules.txt is what `go build -mod=vendor` compiles: its version wins over go.mod's
      const vendorVersion = new Map<string, { version: string; line: number }>();
      if (vendored.has(vendorPath)) {
        vendored.delete(vendorPath);
        const vt = await readOrIssue(ctx, vendorPath, issues);
        if (vt !== undefined) {
          const v = parseModulesTxt(vt, vendorPath);
          issues.push(...v.issues);
          for (const m of v.modules) {
            const version = m.replacedBy ? m.replacedBy.version : m.version;
            if (!version || (m.replacedBy && isLocalPath(m.replacedBy.path))) continue;
            vendorVersion.set(m.path, { version, line: m.line });
          }
        }
      }
      const inMod = new Set<string>();
      for (const req of r.mod.requires) {
        if (r.mod.excludes.has(`${req.path}@${req.version}`)) {
          issues.push({ path: modPath, line: req.line, severity: 'warning', message: `${req.path} ${req.version} is required and excluded: not reported` });
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
      const vt = await readOrIssue(ctx, vendorPath, issues);
      if (vt === undefined) continue;
      const v = parseModulesTxt(vt, vendorPath);
      issues.push(...v.issues);
      for (const m of v.modules) {
        const version = m.replacedBy ? m.replacedBy.version : m.version;
        if (!version || (m.replacedBy && isLocalPath(m.replacedBy.path))) continue;
        out.add(m.path, version, { path: vendorPath, line: m.line, source: 'installed' });
      }
    }
    for (const binPath of paths.filter(isBinaryPath)) {
      let bin: Buffer;
      try {
        bin = await ctx.read(binPath);
      } catch (err) {
        issues.push({ path: binPath, severity: 'warning', message: `cannot read: ${(err as Error).message}` });
        continue;
      }
      if (!isExecutable(bin)) continue;
      const b = readBuildInfo(bin, binPath);
      issues.push(...b.issues);
      if (!b.info) continue;
      const loc = { path: binPath, source: 'binary' as const };
      for (const d of b.info.deps) {
        const version = d.replacedBy ? d.replacedBy.version : d.version;
        if (!version || (d.replacedBy && isLocalPath(d.replacedBy.path))) continue;
        out.add(d.path, version, loc);
      }
      // the standard library compiled into the binary: OSV's Go database lists its advisories under `stdlib`
      const std = goVersionToSemver(b.info.goVersion);
      if (std) out.add('stdlib', std, loc);
    }
    const components = out.list().sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
    return { components, issues };
  },
};
