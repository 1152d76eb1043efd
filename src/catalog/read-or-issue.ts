// Reading a file a manager needs: on failure (missing, too large, outside the root) a located issue, never a throw.
import type { Issue } from '../model/index.ts';
import type { ScanContext } from './types.ts';

/** The file's text, or undefined after pushing an issue `cannot read: <why>` for that path. */
export async function readOrIssue(ctx: ScanContext, path: string, issues: Issue[], severity: Issue['severity'] = 'error'): Promise<string | undefined> {
  try {
    return await ctx.readText(path);
  } catch (err) {
    issues.push({ path, severity, message: `cannot read: ${(err as Error).message}` });
    return undefined;
  }
}
