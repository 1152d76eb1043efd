// The bench's fleet: real SBOMs of the corpus apps (bpx's own capture and CycloneDX writer), varied into N droplets'
// SBOMs (app names, ~10% of versions bumped, a few packages the bench advisories affect, bcrypt in some).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { captureDir } from '../../src/catalog/index.ts';
import { buildModel } from '../../src/sbom/model.ts';
import { toCycloneDx } from '../../src/sbom/formats/cyclonedx.ts';
import { purlFor, type Ecosystem } from '../../src/model/index.ts';

export async function corpusSboms(lockfiles: string): Promise<Array<Record<string, any>>> {
  const out: Array<Record<string, any>> = [];
  for (const mgr of readdirSync(lockfiles).sort()) {
    for (const project of readdirSync(join(lockfiles, mgr)).sort()) {
      const cap = await captureDir(join(lockfiles, mgr, project));
      if (cap.components.length < 20) continue;
      const model = buildModel(cap, {
        app: { name: project },
        stack: 'cflinuxfs4',
        buildpacks: [{ index: '0', key: `${mgr}_buildpack`, name: mgr, version: '1.8.20' }],
        tool: { name: 'bpx', version: 'bench' },
      });
      out.push(toCycloneDx(model));
    }
  }
  return out;
}

// 1.2.3 -> 1.2.(3+k)
const bump = (v: string, k: number) => (/\d+$/.test(v) ? v.replace(/(\d+)$/, (d) => String(Number(d) + k)) : `${v}.${k}`);

/** Writes N SBOM files under dir/<org>/<space>/<app>.cdx.json; returns the paths. */
export function writeFleet(
  bases: Array<Record<string, any>>,
  dir: string,
  n: number,
  vulnerable: Array<{ type: string; name: string; version: string }>,
): string[] {
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = bases[i % bases.length]!;
    const comps = (base.components as any[]).map((c) => {
      if (!c.purl || (i * 7 + c.name.length) % 10 !== 0) return c;
      const v = bump(c.version, 1 + (i % 7));
      const purl = c.purl.replace(`@${c.version}`, `@${v}`);
      return { ...c, version: v, purl, 'bom-ref': purl };
    });
    const extra = [
      ...[0, 1, 2].map((k) => vulnerable[(i * 3 + k) % vulnerable.length]!),
      ...(i % 4 === 0 ? [{ type: 'npm', name: 'bcrypt', version: `${3 + (i % 3)}.${i % 2}.${i % 9}` }] : []),
    ].map((p) => {
      const purl = purlFor(p.type as Ecosystem, p.name, p.version);
      return {
        type: 'library',
        'bom-ref': purl,
        name: p.name,
        version: p.version,
        scope: 'required',
        purl,
        evidence: { occurrences: [{ location: 'app/package-lock.json' }] },
      };
    });
    const doc = {
      ...base,
      serialNumber: `urn:uuid:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      metadata: { ...base.metadata, component: { ...base.metadata.component, name: `svc-${i}` } },
      components: [...comps, ...extra],
    };
    const sub = join(dir, `org-${i % 20}`, `space-${i % 5}`);
    mkdirSync(sub, { recursive: true });
    const f = join(sub, `svc-${i}.cdx.json`);
    writeFileSync(f, JSON.stringify(doc));
    files.push(f);
  }
  return files;
}
