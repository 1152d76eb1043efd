// Gradle capture: gradle.lockfile per project, with the jar digests of the verification metadata that governs it.
import { posix } from 'node:path';
import { readOrIssue } from '../../read-or-issue.ts';
import type { MatchedFiles, ParseResult, ScanContext } from '../../types.ts';
import { parseGradleLockfile } from './parse-gradle-lockfile.ts';
import { parseVerificationMetadata, type VerificationMetadata } from './parse-verification-metadata.ts';

/** The verification file that governs a lockfile: `<dir>/gradle/verification-metadata.xml` of its project or the nearest ancestor. */
function verificationFor(lockPath: string, metas: Map<string, VerificationMetadata>): VerificationMetadata | undefined {
  for (let dir = posix.dirname(lockPath); ; dir = posix.dirname(dir)) {
    const m = metas.get(dir === '.' ? 'gradle/verification-metadata.xml' : `${dir}/gradle/verification-metadata.xml`);
    if (m) return m;
    if (dir === '.' || dir === '/' || !dir) return undefined;
  }
}

/** Verification files first, then each lockfile with the digests of the one that governs it. */
export async function catalog(files: MatchedFiles<'lockfile' | 'verification'>, ctx: ScanContext): Promise<ParseResult> {
  const out: ParseResult = { components: [], issues: [] };
  const metas = new Map<string, VerificationMetadata>();
  for (const p of files.of.verification) {
    const text = await readOrIssue(ctx, p, out.issues, 'warning');
    if (text === undefined) continue;
    const r = parseVerificationMetadata(text, p);
    metas.set(p, r.meta);
    out.issues.push(...r.issues);
  }
  for (const path of files.of.lockfile) {
    const text = await readOrIssue(ctx, path, out.issues);
    if (text === undefined) continue;
    const r = parseGradleLockfile(text, path, ctx.includeDev);
    const meta = verificationFor(path, metas);
    // the lockfile carries no digests; the verification file has the jar's, when the project keeps one
    for (const c of r.components) c.hashes = meta?.jars.get(`${c.name}@${c.version}`) ?? c.hashes;
    out.components.push(...r.components);
    out.issues.push(...r.issues);
  }
  return out;
}
