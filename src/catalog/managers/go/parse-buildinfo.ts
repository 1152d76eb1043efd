// Go build info embedded in executables (Go 1.18+ `.go.buildinfo` layout, as debug/buildinfo reads it), found by its magic, never executed.
import type { Issue } from '../../../model/index.ts';

/** `\xff Go buildinf:`: the 14-byte magic that opens the 32-byte build info header. */
export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
/** flagsVersionInl: version and modinfo follow the header inline as varint-length strings (Go 1.18+). */
const FLAG_INLINE = 0x2;

export interface BuildInfoDep {
  path: string;
  version: string;
  /** `=>` line: the module Go actually built instead */
  replacedBy?: { path: string; version?: string };
}

export interface BuildInfo {
  /** e.g. go1.22.5 */
  goVersion: string;
  /** the main module (`mod` line): the application itself */
  main?: { path: string; version: string };
  deps: BuildInfoDep[];
}

function uvarint(buf: Buffer, pos: number): [number, number] | undefined {
  let x = 0;
  let s = 0;
  for (let i = 0; i < 10 && pos + i < buf.length; i++) {
    const b = buf[pos + i];
    if (b < 0x80) return [x + b * 2 ** s, pos + i + 1];
    x += (b & 0x7f) * 2 ** s;
    s += 7;
  }
  return undefined;
}

function readString(buf: Buffer, pos: number): [string, number] | undefined {
  const v = uvarint(buf, pos);
  if (!v || v[1] + v[0] > buf.length) return undefined;
  return [buf.toString('utf8', v[1], v[1] + v[0]), v[1] + v[0]];
}

/** true for an ELF, Mach-O or PE header: the executables Go writes. */
export function isExecutable(head: Buffer): boolean {
  if (head.length < 4) return false;
  const m = head.readUInt32BE(0);
  return (
    m === 0x7f454c46 /* \x7fELF */ || m === 0xcffaedfe || m === 0xcefaedfe || m === 0xfeedfacf || head.readUInt16BE(0) === 0x4d5a
  ); /* MZ */
}

/**
 * Reads the build info from an executable's bytes: undefined when the file has no Go build info
 * (not a Go binary); an Issue when it has one in a form this reader does not know (Go before 1.18).
 */
export function readBuildInfo(bin: Buffer, path: string): { info?: BuildInfo; issues: Issue[] } {
  const at = bin.indexOf(BUILDINFO_MAGIC);
  if (at < 0 || at + 32 > bin.length) return { issues: [] };
  const flags = bin[at + 15];
  if (!(flags & FLAG_INLINE)) {
    return { issues: [{ path, severity: 'warning', message: 'Go binary built before Go 1.18: its module list is not read' }] };
  }
  const v = readString(bin, at + 32);
  const m = v && readString(bin, v[1]);
  if (!v || !m) return { issues: [{ path, severity: 'error', message: 'Go build info is truncated' }] };
  let modinfo = m[0];
  // modinfo is framed by two 16-byte sentinels; strip them as debug/buildinfo does
  if (modinfo.length >= 33 && modinfo[modinfo.length - 17] === '\n') modinfo = modinfo.slice(16, -16);
  return { info: parseModinfo(v[0], modinfo), issues: [] };
}

/** Parses the modinfo text: `path\t…`, `mod\tpath\tversion\tsum`, `dep\tpath\tversion\tsum`, `=>\tpath\tversion\tsum`, `build\tk=v`. */
export function parseModinfo(goVersion: string, modinfo: string): BuildInfo {
  const info: BuildInfo = { goVersion, deps: [] };
  let last: BuildInfoDep | undefined;
  for (const line of modinfo.split('\n')) {
    const f = line.split('\t');
    if (f[0] === 'mod' && f.length >= 3) info.main = { path: f[1], version: f[2] };
    else if (f[0] === 'dep' && f.length >= 3) {
      last = { path: f[1], version: f[2] };
      info.deps.push(last);
    } else if (f[0] === '=>' && last && f.length >= 2) {
      last.replacedBy = { path: f[1], ...(f[2] ? { version: f[2] } : {}) };
    }
  }
  return info;
}

/** go1.22.5 → v1.22.5; go1.20 → v1.20.0; go1.23rc1 → v1.23.0-rc.1 (the semver form OSV's Go stdlib ranges compare). */
export function goVersionToSemver(v: string): string | undefined {
  const m = /^go(\d+)\.(\d+)(?:\.(\d+))?(?:(rc|beta)(\d+))?(?:\s.*)?$/.exec(v.trim());
  if (!m) return undefined;
  return `v${m[1]}.${m[2]}.${m[3] ?? '0'}${m[4] ? `-${m[4]}.${m[5]}` : ''}`;
}
