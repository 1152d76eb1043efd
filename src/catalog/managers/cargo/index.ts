// Cargo (Rust): Cargo.lock in every format generation. See README.md.
import type { PackageManager, ParseResult } from '../../types.ts';
import { parseCargoLock } from './parse-cargo-lock.ts';
import { readOrIssue } from '../../read-or-issue.ts';

export { parseCargoLock } from './parse-cargo-lock.ts';

const LOCK = /(^|\/)Cargo\.lock$/;

export const cargo: PackageManager = {
  id: 'cargo',
  ecosystem: 'cargo',
  description: 'Rust crates from Cargo.lock (pre-v1 [root], v1 [metadata] checksums, v2, v3, v4).',
  matches: (path) => LOCK.test(path),
  async parse(paths, ctx): Promise<ParseResult> {
    const out: ParseResult = { components: [], issues: [] };
    for (const path of paths) {
      const text = await readOrIssue(ctx, path, out.issues);
      if (text === undefined) continue;
      const r = parseCargoLock(text, path);
      out.components.push(...r.components);
      out.issues.push(...r.issues);
    }
    return out;
  },
};
