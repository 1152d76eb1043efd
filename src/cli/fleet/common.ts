// What every `bpx fleet` subcommand shares: which database (--db, BPX_FLEET_DB), and rows printed as a table or TSV.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import type { FleetStore } from '../../fleet/store.ts';

export const DB_OPTION = { db: { type: 'string' as const } };

/** Opens the inventory named by --db, else BPX_FLEET_DB, else ./bpx-fleet.db; the database code loads only now. */
export async function openStore(db: string | undefined, io: Io): Promise<FleetStore> {
  const { DEFAULT_DB, parseDbLocation, openDb } = await import('../../fleet/db/open.ts');
  const { FleetStore } = await import('../../fleet/store.ts');
  const spec = db ?? io.env.BPX_FLEET_DB ?? DEFAULT_DB;
  let loc;
  try {
    loc = parseDbLocation(spec, io.cwd);
  } catch (e) {
    throw new CliError(`--db ${(e as Error).message}`);
  }
  try {
    return await FleetStore.open(await openDb(loc));
  } catch (e) {
    const where = loc.kind === 'sqlite' ? path.relative(io.cwd, loc.file) || loc.file : spec.replace(/:[^:@/]*@/, ':***@');
    throw new CliError(`cannot open the inventory ${where}: ${(e as Error).message}`);
  }
}

/** stdout is a terminal (aligned table) or not (tab-separated lines, for cut and awk). */
export function isTable(io: Io): boolean {
  const tty = (io.stdout as { isTTY?: boolean }).isTTY;
  return tty === undefined ? io.isTTY : tty;
}

/** Rows under a header: aligned columns on a terminal, else tab-separated (tabs and newlines in values become spaces). */
export function printRows(io: Io, header: readonly string[], rows: readonly (readonly string[])[]): void {
  if (!isTable(io)) {
    const clean = (s: string) => s.replace(/[\t\r\n]+/g, ' ');
    io.stdout.write([header, ...rows].map((r) => r.map(clean).join('\t')).join('\n') + '\n');
    return;
  }
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(w[i]!)))
      .join('  ')
      .trimEnd();
  io.stdout.write([line(header), ...rows.map(line)].join('\n') + '\n');
}

export const json = (io: Io, value: unknown) => io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export const rel = (io: Io, p: string) => path.relative(io.cwd, p) || '.';

/** `org/space/app`, empty parts shown as `-`. */
export const where = (x: { org?: string | null; space?: string | null; app: string }) => `${x.org || '-'}/${x.space || '-'}/${x.app}`;

/** The PEM public key `--key` names (fleet add, fleet sync), checked to be one; a private key is refused. */
export async function publicKeyFile(file: string): Promise<Buffer> {
  const pem = await readFile(file).catch(() => {
    throw new CliError(`${file}: cannot read the public key`);
  });
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem.toString('latin1')))
    throw new CliError(`${file}: a private key; give the public key (bpx keygen writes both)`);
  const { loadPublicKey } = await import('../../sbom/sign/keys.ts');
  try {
    loadPublicKey(pem);
  } catch (e) {
    throw new CliError(`${file}: ${(e as Error).message}`);
  }
  return pem;
}
