// Capture of a droplet tarball (gzip-compressed tar, the CF droplet layout): extract, capture, and count what extraction skipped.
import type { Capture, Issue } from '../model/index.ts';
import { captureDir, compareIssues, isWanted, type CaptureOptions } from '../catalog/index.ts';
import { DEFAULT_MAX_FILE_BYTES } from '../catalog/context.ts';
import { extractDroplet } from '../droplet/read.ts';

/** Files larger than this are not extracted at all, whatever maxFileBytes says (disk, not memory, is at stake). */
export const EXTRACT_FLOOR_BYTES = 512 * 1024 * 1024;

/**
 * An extraction issue (`{path: tgz, message: 'app/x.json: why'}`) as a capture issue at the entry's droplet path.
 * A file a package manager reads that was not extracted is an error (its packages are missing), as is every
 * refused hostile entry; anything else stays a warning. `"a\nb": entry refused (...)` → path `a\nb`.
 */
export function extractionIssue(i: Issue, managers?: readonly string[]): Issue {
  const m = /^("(?:[^"\\]|\\.)*"|[^:]*?): (.*)$/s.exec(i.message);
  if (!m) return { ...i, path: '.' };
  let entry = m[1];
  if (entry.startsWith('"')) {
    try {
      entry = JSON.parse(entry) as string;
    } catch {
      // keep it quoted
    }
  }
  const lost = i.severity === 'warning' && isWanted(entry, managers);
  return { path: entry, severity: lost ? 'error' : i.severity, message: lost ? `not extracted (${m[2]}): not captured` : m[2] };
}

/**
 * Extracts `tgz` under `workDir` (empty or missing) and captures it. What extraction skipped joins the capture's
 * issues, so that a lockfile left out of the extraction leaves the capture incomplete rather than silently shorter.
 * Throws when the tarball cannot be read at all.
 */
export async function captureDropletTarball(tgz: string, workDir: string, opts: CaptureOptions = {}): Promise<Capture> {
  const limit = Math.max(EXTRACT_FLOOR_BYTES, opts.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  const extracted = await extractDroplet(tgz, workDir, { maxFileBytes: limit });
  const capture = await captureDir(workDir, opts);
  if (extracted.issues.length === 0) return capture;
  const skipped = extracted.issues.map((i) => extractionIssue(i, opts.managers));
  const issues = [...capture.issues, ...skipped].sort(compareIssues);
  return { ...capture, issues, complete: capture.complete && !skipped.some((i) => i.severity === 'error') };
}
