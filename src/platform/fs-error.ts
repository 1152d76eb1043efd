// Node's file-system errors (libuv errno codes) as one plain phrase: no code twice, no internal temp names.

const PHRASES: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'not a directory',
  EISDIR: 'is a directory',
  EEXIST: 'already exists',
  ENOTEMPTY: 'directory not empty',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  ETXTBSY: 'text file busy',
  EBUSY: 'resource busy',
  EIO: 'input/output error',
};

/**
 * `ENOENT: no such file or directory, mkdtemp '/x/.bpx-wrap-XXXXXX'` → `no such file or directory`: the phrase alone,
 * for a caller that names the path the user knows. Unknown codes keep Node's text without the code and the path.
 */
export function describeFsError(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  const phrase = e?.code ? PHRASES[e.code] : undefined;
  if (phrase) return phrase;
  const text = e instanceof Error ? e.message : String(err);
  // "EXDEV: cross-device link not permitted, rename 'a' -> 'b'" → "cross-device link not permitted"
  const m = /^[A-Z][A-Z0-9_]*: (.*?)(?:, [a-z]+ '.*)?$/s.exec(text);
  return m ? m[1] : text;
}

/** True for an error thrown by node:fs (it carries a libuv code and a syscall). */
export function isFsError(err: unknown): err is NodeJS.ErrnoException {
  const e = err as NodeJS.ErrnoException | undefined;
  return e instanceof Error && typeof e.code === 'string' && typeof e.syscall === 'string';
}
