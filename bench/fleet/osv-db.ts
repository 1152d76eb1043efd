// The bench's 50,000 advisories, as bench/vuln.ts makes them: real corpus OSV records, the package renamed
// (`<name>-b<k>`, 5,000 names per record family) and a new id, written as <Ecosystem>/all.zip.
import { createWriteStream, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yazl from 'yazl';

export const OSV_ECO: Record<string, string> = {
  npm: 'npm',
  PyPI: 'pypi',
  Maven: 'maven',
  RubyGems: 'gem',
  Packagist: 'composer',
  Go: 'golang',
  'crates.io': 'cargo',
  NuGet: 'nuget',
};

export function realRecords(osvDir: string): Array<Record<string, any>> {
  const out: Array<Record<string, any>> = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) {
        if (n !== 'schema' && n !== 'invalid') walk(p);
      } else if (n.endsWith('.json')) out.push(JSON.parse(readFileSync(p, 'utf8')));
    }
  };
  walk(osvDir);
  return out.filter((r) => !r.withdrawn && (r.affected ?? []).some((a: any) => a.package && OSV_ECO[a.package.ecosystem]));
}

export async function zipTo(file: string, entries: Array<[string, string]>): Promise<void> {
  const z = new yazl.ZipFile();
  for (const [name, body] of entries) z.addBuffer(Buffer.from(body), name);
  z.end();
  await new Promise<void>((res, rej) =>
    z.outputStream
      .pipe(createWriteStream(file))
      .on('close', () => res())
      .on('error', rej),
  );
}

/** Writes the database under `dir`; returns affected packages (purl type, name, a vulnerable version) to plant in SBOMs. */
export async function writeBenchOsv(
  osvDir: string,
  dir: string,
  n = 50_000,
): Promise<Array<{ type: string; name: string; version: string }>> {
  const base = realRecords(osvDir);
  const byEco = new Map<string, Array<[string, string]>>();
  const vulnerable: Array<{ type: string; name: string; version: string }> = [];
  for (let i = 0; i < n; i++) {
    const r = base[i % base.length]!;
    const suffix = `b${i % 5000}`;
    const affected = r.affected.map((a: any) =>
      a.package ? { ...a, package: { ...a.package, name: `${a.package.name}-${suffix}`, purl: undefined } } : a,
    );
    const rec = { ...r, id: `${r.id.split('-')[0]}-BENCH-${i}`, aliases: [], affected };
    const a = affected.find((x: any) => x.package && OSV_ECO[x.package.ecosystem]);
    const eco = a.package.ecosystem as string;
    if (!byEco.has(eco)) byEco.set(eco, []);
    byEco.get(eco)!.push([`${rec.id}.json`, JSON.stringify(rec)]);
    if (i < 5000) {
      const ev = a.ranges?.find((x: any) => x.type !== 'GIT')?.events ?? [];
      const intro = ev.find((e: any) => e.introduced && e.introduced !== '0')?.introduced;
      const v = intro ?? a.versions?.[0];
      if (v) vulnerable.push({ type: OSV_ECO[eco]!, name: a.package.name, version: v });
    }
  }
  for (const [eco, entries] of byEco) {
    mkdirSync(join(dir, eco), { recursive: true });
    await zipTo(join(dir, eco, 'all.zip'), entries);
  }
  return vulnerable;
}
