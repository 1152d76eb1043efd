// The inner buildpack as `bpx wrap` ships it, described for bpx/buildpack.json (src/sbom/buildpack-build.ts): name,
// version, content digest and, for a git checkout, the commit (read from .git, git itself is never run).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readFile, readlink, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import YAML from 'yaml';
import { encodeField } from '../droplet/digest.ts';
import type { BuildpackBuild } from '../sbom/buildpack-build.ts';

async function fileSha256(p: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(p)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** bpx buildpack digest v1 of `dir` (see BuildpackBuild.sha256). */
export async function buildpackDigest(dir: string): Promise<string> {
  const lines: Array<{ key: Buffer; line: string }> = [];
  const visit = async (rel: string): Promise<void> => {
    const names = (await readdir(rel ? join(dir, rel) : dir)).sort();
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      if (r === '.git') continue;
      const abs = join(dir, r);
      const st = await lstat(abs);
      const p = encodeField(r);
      if (st.isSymbolicLink()) lines.push({ key: Buffer.from(p), line: `l ${p} ${encodeField(await readlink(abs))}\n` });
      else if (st.isDirectory()) await visit(r);
      else if (st.isFile()) lines.push({ key: Buffer.from(p), line: `f ${p} ${await fileSha256(abs)}\n` });
    }
  };
  await visit('');
  lines.sort((a, b) => Buffer.compare(a.key, b.key));
  const h = createHash('sha256');
  for (const l of lines) h.update(l.line, 'utf8');
  return h.digest('hex');
}

/** The commit the git checkout at `dir` has checked out (`dir/.git`: HEAD, its ref file or packed-refs); undefined when none. */
export async function gitCommit(dir: string): Promise<string | undefined> {
  const dotGit = join(dir, '.git');
  const st = await stat(dotGit).catch(() => undefined);
  if (!st) return undefined;
  // a worktree or submodule: `.git` is a file saying `gitdir: <path>`
  const gitDir = st.isDirectory() ? dotGit : resolve(dir, /^gitdir:\s*(.+)$/m.exec(await readFile(dotGit, 'utf8'))?.[1]?.trim() ?? '.git');
  const head = (await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => '')).trim();
  if (/^[0-9a-f]{40,64}$/.test(head)) return head;
  const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
  if (!ref) return undefined;
  // a linked worktree keeps its refs in the common dir
  const common = resolve(gitDir, (await readFile(join(gitDir, 'commondir'), 'utf8').catch(() => '.')).trim());
  for (const base of [gitDir, common]) {
    const loose = (await readFile(join(base, ref), 'utf8').catch(() => '')).trim();
    if (/^[0-9a-f]{40,64}$/.test(loose)) return loose;
    const packed = await readFile(join(base, 'packed-refs'), 'utf8').catch(() => '');
    const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
    const sha = line?.split(' ')[0];
    if (sha && /^[0-9a-f]{40,64}$/.test(sha)) return sha;
  }
  return undefined;
}

/**
 * Describes the inner buildpack at `dir` (as copied into the wrapper). `sources`: the folders it was wrapped from, when
 * it was a folder (the path given, and the buildpack root found in it): the first that is a git checkout gives the
 * commit (a zip has none); the first names it when manifest.yml has no `language`.
 */
export async function describeInner(dir: string, sources: readonly string[] = []): Promise<BuildpackBuild> {
  let name: string | undefined;
  try {
    const m = YAML.parse(await readFile(join(dir, 'manifest.yml'), 'utf8'), { schema: 'failsafe' }) as { language?: unknown } | null;
    if (m && typeof m.language === 'string' && m.language.trim()) name = m.language.trim();
  } catch {
    // no manifest.yml, or one that is not YAML: the folder's name
  }
  name ??= sources[0] ? basename(resolve(sources[0])) : undefined;
  const version = (await readFile(join(dir, 'VERSION'), 'utf8').catch(() => '')).trim().split('\n')[0]?.trim();
  let commit: string | undefined;
  for (const s of sources) if ((commit = await gitCommit(s))) break;
  return { ...(name ? { name } : {}), ...(version ? { version } : {}), sha256: await buildpackDigest(dir), ...(commit ? { commit } : {}) };
}
