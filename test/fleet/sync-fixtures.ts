// A foundation for `fleet sync` tests: two orgs, four spaces, a dozen apps whose droplets are real ones staged by
// `bpx stage` (wrapped with a signing bpx, and unwrapped), a CNB droplet, and the broken cases (bits gone, corrupt
// tarball, checksum mismatch), plus a docker app and an app without a droplet.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tar from 'tar';
import type { Fixtures } from './helpers.ts';
import { type App, type Droplet, type Foundation, sha256 } from './cc-stand-in.ts';

/** A v4 UUID made from a number: `guid('a', 1)` → `0000000a-0000-4000-8000-000000000001`. */
export const guid = (kind: string, n: number) => `${kind.padStart(8, '0')}-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** The same droplet with other bytes (the gzip header's MTIME field): a distinct tarball with the same content. */
export function variant(bits: Buffer, n: number): Buffer {
  const b = Buffer.from(bits);
  b.writeUInt32LE(0x5f000000 + n, 4);
  return b;
}

/** The builder's result.json beside a staged droplet: the buildpacks as the Cloud Controller records them. */
function ccBuildpacks(droplet: string, adminName: string, version?: string | null): Droplet['buildpacks'] {
  const r = JSON.parse(readFileSync(join(dirname(droplet), 'result.json'), 'utf8'));
  return r.lifecycle_metadata.buildpacks.map((b: { name?: string; version?: string }) => ({
    name: adminName,
    buildpack_name: b.name ?? null,
    detect_output: null,
    version: version === undefined ? (b.version ?? null) : version,
  }));
}

/** A CNB droplet as cnbapplifecycle tars /home/vcap: layers/ (with the launch SBOMs) and workspace/. */
export async function cnbDroplet(sbom: string): Promise<Buffer> {
  const root = mkdtempSync(join(tmpdir(), 'bpx-cnb-'));
  const layer = join(root, 'layers', 'sbom', 'launch', 'paketo-buildpacks_npm-install', 'launch-modules');
  mkdirSync(layer, { recursive: true });
  writeFileSync(join(layer, 'sbom.cdx.json'), readFileSync(sbom));
  mkdirSync(join(root, 'layers', 'config'), { recursive: true });
  writeFileSync(
    join(root, 'layers', 'config', 'metadata.toml'),
    '[[buildpacks]]\n  id = "paketo-buildpacks/nodejs"\n  version = "1.2.0"\n',
  );
  mkdirSync(join(root, 'workspace'), { recursive: true });
  writeFileSync(join(root, 'workspace', 'package.json'), JSON.stringify({ name: 'cnb-app', version: '1.0.0' }));
  const out = join(root, 'droplet.tgz');
  await tar.c({ gzip: true, file: out, cwd: root, portable: true }, ['layers', 'workspace']);
  return readFileSync(out);
}

export const ORGS = { acme: guid('0a', 1), globex: guid('0a', 2) };
export const SPACES = { prod: guid('5a', 1), dev: guid('5a', 2), web: guid('5a', 3), batch: guid('5a', 4) };

export interface Built {
  foundation: Foundation;
  /** app name → guid */
  apps: Record<string, string>;
  /** app name → its current droplet guid */
  droplets: Record<string, string>;
  /** the droplets a sync can store (downloaded and read) */
  good: string[];
}

const T0 = '2026-03-01T10:00:00Z';

/** The foundation: 12 apps in acme/{prod,dev} and globex/{web,batch}. */
export async function buildFoundation(fx: Fixtures, cnb: Buffer): Promise<Built> {
  const v1 = readFileSync(fx.helloV1);
  const v2 = readFileSync(fx.helloV2);
  const billing = readFileSync(fx.billing);
  const droplets = new Map<string, Droplet>();
  const apps: App[] = [];
  const names: Record<string, string> = {};
  const current: Record<string, string> = {};
  let n = 0;
  const add = (name: string, space: string, d: (Partial<Droplet> & { bits?: Buffer }) | null, opts: Partial<App> = {}) => {
    n++;
    const appGuid = guid('a99', n);
    names[name] = appGuid;
    let dropletGuid: string | null = null;
    if (d) {
      dropletGuid = guid('d0', n);
      current[name] = dropletGuid;
      const bits = d.bits;
      droplets.set(dropletGuid, {
        guid: dropletGuid,
        appGuid,
        state: 'STAGED',
        lifecycle: 'buildpack',
        buildpacks: [],
        stack: 'cflinuxfs4',
        image: null,
        createdAt: `2026-02-${String(n).padStart(2, '0')}T08:00:00Z`,
        ...(bits ? { checksum: { type: 'sha256' as const, value: sha256(bits) } } : {}),
        ...d,
      });
    }
    apps.push({ guid: appGuid, name, spaceGuid: space, lifecycle: 'buildpack', state: 'STARTED', updatedAt: T0, dropletGuid, ...opts });
  };
  const wrapped = (bits: Buffer, file: string, version?: string | null) => ({
    bits,
    buildpacks: ccBuildpacks(file, 'nodejs_buildpack', version),
  });
  const bare = (bits: Buffer) => ({ bits, buildpacks: ccBuildpacks(fx.billing, 'nodejs_buildpack') });
  add('hello', SPACES.prod, wrapped(v1, fx.helloV1), { labels: { env: 'prod' } });
  add('billing', SPACES.prod, bare(billing), { labels: { env: 'prod' } });
  add('api', SPACES.prod, wrapped(variant(v1, 3), fx.helloV1));
  add('hello-dev', SPACES.dev, wrapped(variant(v2, 4), fx.helloV2));
  add('no-drop', SPACES.dev, null);
  add(
    'docker-app',
    SPACES.web,
    { lifecycle: 'docker', image: 'registry.example.com/team/docker-app:1.4', stack: null },
    { lifecycle: 'docker' },
  );
  add(
    'cnb-app',
    SPACES.web,
    {
      bits: cnb,
      lifecycle: 'cnb',
      buildpacks: [{ name: 'paketo-nodejs', buildpack_name: 'paketo-buildpacks/nodejs', detect_output: null, version: '1.2.0' }],
    },
    { lifecycle: 'cnb' },
  );
  const gone = variant(billing, 8);
  add('gone-bits', SPACES.web, { ...bare(gone), bits: undefined, checksum: { type: 'sha256', value: sha256(gone) } });
  const truncated = variant(billing, 9).subarray(0, Math.floor(billing.length / 2));
  add('corrupt', SPACES.batch, bare(truncated));
  const bad = variant(billing, 10);
  add('badsum', SPACES.batch, { ...bare(bad), checksum: { type: 'sha256', value: sha256(Buffer.from('something else')) } });
  add('worker', SPACES.batch, bare(variant(billing, 11)));
  // the API reports 1.9.3 (what a buildpack printed); bpx recorded 1.9.4 inside the droplet
  add('reports', SPACES.batch, wrapped(variant(v1, 12), fx.helloV1, '1.9.3'));
  const foundation: Foundation = {
    orgs: [
      { guid: ORGS.acme, name: 'acme' },
      { guid: ORGS.globex, name: 'globex' },
    ],
    spaces: [
      { guid: SPACES.prod, name: 'prod', orgGuid: ORGS.acme },
      { guid: SPACES.dev, name: 'dev', orgGuid: ORGS.acme },
      { guid: SPACES.web, name: 'web', orgGuid: ORGS.globex },
      { guid: SPACES.batch, name: 'batch', orgGuid: ORGS.globex },
    ],
    apps,
    droplets,
    buildpacks: [
      {
        guid: guid('b0', 1),
        name: 'nodejs_buildpack',
        stack: 'cflinuxfs4',
        position: 1,
        filename: 'nodejs_buildpack-cached-cflinuxfs4-v1.9.4.zip',
        lifecycle: 'buildpack',
        updatedAt: T0,
      },
      {
        guid: guid('b0', 2),
        name: 'java_buildpack',
        stack: 'cflinuxfs4',
        position: 2,
        filename: 'java-buildpack-offline-cflinuxfs4-v4.77.0.zip',
        lifecycle: 'buildpack',
        updatedAt: T0,
      },
      {
        guid: guid('b0', 3),
        name: 'paketo-nodejs',
        stack: 'cflinuxfs4',
        position: 1,
        filename: 'paketo-nodejs-cflinuxfs4-v1.2.0.cnb',
        lifecycle: 'cnb',
        updatedAt: T0,
      },
    ],
    stacks: [
      { guid: guid('5c', 1), name: 'cflinuxfs4', description: 'Cloud Foundry Linux-based filesystem (Ubuntu 22.04)' },
      { guid: guid('5c', 2), name: 'cflinuxfs3', description: 'Cloud Foundry Linux-based filesystem (Ubuntu 18.04)' },
    ],
  };
  const good = ['hello', 'billing', 'api', 'hello-dev', 'cnb-app', 'worker', 'reports'].map((a) => current[a]!);
  return { foundation, apps: names, droplets: current, good };
}
