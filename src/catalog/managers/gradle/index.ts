// Gradle: gradle.lockfile (dependency locking). See README.md.
import { posix } from 'node:path';
import type { PackageManager, ParseResult } from '../../types.ts';
import { parseGradleLockfile } from './parse-gradle-lockfile.ts';
import { parseVerificationMetadata, type VerificationMetadata } from './parse-verification-metadata.ts';
import { readOrIssue } from '../../read-or-issue.ts';

export { parseGradleLockfile, gradleScope } from './parse-gradle-lockfile.ts';
export { parseVerificationMetadata } from './parse-verification-metadata.ts';

/** `gradle.lockfile` per project, and the older per-configuration `gradle/dependency-locks/<conf>.lockfile` is not read. */
const LOCK = /(^|\/)gradle\.lockfile$/;
/** The root project's dependency verification file: digests for the locked artifacts. */
const VERIFY = /(^|\/)gradle\/verification-metadata\.xml$/;

/** The verification file that governs a lockfile: `<dir>/gradle/verification-metadata.xml` of its project or the nearest ancestor. */
function verificationFor(lockPath: string, metas: Map<string, VerificationMetadata>): VerificationMetadata | undefined {
  for (let dir = posix.dirname(lockPath); ; dir = posix.dirname(dir)) {
    const m = metas.get(dir === '.' ? 'gradle/verification-metadata.xml' : `${dir}/gradle/verification-metadata.xml`);
    if (m) return m;
    if (dir === '.' || dir === '/' || !dir) return undefined;
  }
}

export const gradle: PackageManager = {
  id: 'gradle',
  ecosystem: 'maven',
  description: 'Maven artifacts from Gradle dependency locking (gradle.lockfile), scoped by configuration.',
  matches: (p) => LOCK.test(p) || VERIFY.test(p),
  async parse(paths, ctx): Promise<ParseResult> {
    const out: ParseResult = { components: [], issues: [] };
    const metas = new Map<string, VerificationMetadata>();
    for (const p of paths.filter((x) => VERIFY.test(x))) {
      try {
        const r = parseVerificationMetadata(await ctx.readText(p), p);
        metas.set(p, r.meta);
        out.issues.push(...r.issues);
      } catch (err) {
        out.issues.push({ path: p, severity: 'warning', message: `cannot read: ${(err as Error).message}` });
      }
    }
    for (const path of paths.filter((x) => LOCK.test(x))) {
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
  },
};
