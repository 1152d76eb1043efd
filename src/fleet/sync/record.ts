// A droplet read from the Cloud Controller as the inventory stores it: the API's names, stack, time and buildpacks
// beside what the droplet itself holds (bpx's SBOM or a capture), as `fleet add` builds its records from files.
import type { BuildpackRecord } from '../../sbom/formats/index.ts';
import { componentRows, contentDigest } from '../ingest/read-target.ts';
import type { AppIdentity, BuildpackRow, DropletRecord } from '../types.ts';
import type { CcDroplet } from './cc-types.ts';
import type { StreamRead } from './read-stream.ts';
import type { CcBuildpackRow } from './store-sync.ts';

/** deps/<idx> of a buildpack the droplet recorded (`"00"` → 0), else its place in the list. */
function positioned(records: readonly BuildpackRecord[]): Map<number, BuildpackRecord> {
  const out = new Map<number, BuildpackRecord>();
  records.forEach((b, i) => {
    const p = b.index !== undefined && /^\d+$/.test(b.index) ? Number(b.index) : i;
    if (!out.has(p)) out.set(p, b);
  });
  return out;
}

/**
 * Buildpack rows in staging order: the key is the API's (the admin buildpack's name), name and version what the droplet
 * recorded (bpx's SBOM or config.yml: the inner buildpack of a wrapper), else what the API reports.
 */
export function buildpackRows(
  d: CcDroplet,
  recorded: readonly BuildpackRecord[],
  detected: string | undefined,
): { rows: BuildpackRow[]; cc: CcBuildpackRow[] } {
  const own = positioned(recorded);
  const count = Math.max(d.buildpacks.length, own.size ? Math.max(...own.keys()) + 1 : 0);
  const rows: BuildpackRow[] = [];
  const cc: CcBuildpackRow[] = [];
  for (let i = 0; i < count; i++) {
    const a = d.buildpacks[i];
    const b = own.get(i);
    if (!a && !b) continue;
    const key = a?.name ?? b?.key;
    const name = b?.name ?? a?.buildpackName;
    const version = b?.version ?? a?.version;
    rows.push({ position: i, ...(key ? { key } : {}), ...(name ? { name } : {}), ...(version ? { version } : {}) });
    cc.push({
      position: i,
      ...(a?.name ? { name: a.name } : {}),
      ...(a?.buildpackName ? { buildpackName: a.buildpackName } : {}),
      ...(a?.version ? { version: a.version } : {}),
      ...(a?.detectOutput ? { detectOutput: a.detectOutput } : {}),
      ...(b?.name ? { dropletName: b.name } : {}),
      ...(b?.version ? { dropletVersion: b.version } : {}),
    });
  }
  const line = detected ?? d.buildpacks[d.buildpacks.length - 1]?.detectOutput;
  if (line && rows.length) rows[rows.length - 1] = { ...rows[rows.length - 1]!, detectLine: line };
  return { rows, cc };
}

/** The record `store.addDroplet` takes for a downloaded droplet, and the API's buildpack rows to store beside it. */
export function syncedRecord(
  read: StreamRead,
  d: CcDroplet,
  app: AppIdentity,
  source: string,
): { record: DropletRecord; cc: CcBuildpackRow[] } {
  const fromSbom = read.source === 'droplet-sbom';
  const components = componentRows(read.components, read.facts, fromSbom);
  const { rows, cc } = buildpackRows(d, read.buildpacks, read.detected);
  const created = d.createdAt && !Number.isNaN(Date.parse(d.createdAt)) ? new Date(d.createdAt).toISOString() : undefined;
  const fromFacts =
    read.facts?.timestamp && !Number.isNaN(Date.parse(read.facts.timestamp)) ? new Date(read.facts.timestamp).toISOString() : undefined;
  const stagedAt = created ?? fromFacts;
  const stack = d.stack ?? read.facts?.stack;
  const errors = read.issues.filter((i) => i.severity === 'error');
  const record: DropletRecord = {
    digest: `sha256:${read.sha256}`,
    guid: d.guid,
    app,
    ...(stack ? { stack } : {}),
    ...(stagedAt ? { stagedAt } : {}),
    sbomDigest: contentDigest(components, rows),
    ...(read.facts ? { sbomFormat: read.facts.format } : {}),
    sbomSource: read.source,
    signature: read.signature,
    sourceKind: 'droplet',
    sourcePath: source,
    complete: (read.facts?.complete ?? true) && !errors.length,
    buildpacks: rows,
    components,
  };
  return { record, cc };
}
