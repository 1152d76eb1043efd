// Reading a file a manager needs: on failure (missing, too large, outside the root) a located issue, never a throw.
import type { Issue } from '../model/index.ts';
import { mapLimit } from './map-limit.ts';
import type { ScanContext } from './types.ts';

/**
 * The file's text, or undefined after pushing an issue `cannot read: <why><lost>` for that path; `lost` says
 * what the failure costs when that is not obvious (e.g. `: its dependencies are not captured`).
 */
export async function readOrIssue(
  ctx: ScanContext,
  path: string,
  issues: Issue[],
  severity: Issue['severity'] = 'error',
  lost = '',
): Promise<string | undefined> {
  return attempt(() => ctx.readText(path), path, issues, severity, lost);
}

/** The file's bytes (archives, binaries), or undefined after pushing a `cannot read` issue for that path. */
export async function readBytesOrIssue(
  ctx: ScanContext,
  path: string,
  issues: Issue[],
  severity: Issue['severity'] = 'error',
): Promise<Buffer | undefined> {
  return attempt(() => ctx.read(path), path, issues, severity, '');
}

async function attempt<T>(
  read: () => Promise<T>,
  path: string,
  issues: Issue[],
  severity: Issue['severity'],
  lost: string,
): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    issues.push({ path, severity, message: `cannot read: ${(err as Error).message}${lost}` });
    return undefined;
  }
}

/**
 * The readable files of `paths` with their text, in path order; each unreadable one is an issue. Read in parallel,
 * bounded: an installed tree has hundreds of metadata files.
 */
export async function readEachOrIssue(
  ctx: ScanContext,
  paths: readonly string[],
  issues: Issue[],
  severity: Issue['severity'] = 'error',
): Promise<Array<[path: string, text: string]>> {
  const texts = await mapLimit(paths, 32, (p) => readOrIssue(ctx, p, issues, severity));
  const out: Array<[string, string]> = [];
  for (const [k, p] of paths.entries()) {
    const text = texts[k];
    if (text !== undefined) out.push([p, text]);
  }
  return out;
}
