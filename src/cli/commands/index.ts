// The command registry: each command lives in its own file and is loaded only when it runs (fast start-up).
import type { Command } from '../io.ts';

export const commands: Record<string, () => Promise<{ default: Command }>> = {
  phase: () => import('./phase.ts'),
  stage: () => import('./stage.ts'),
  wrap: () => import('./wrap.ts'),
  validate: () => import('./validate.ts'),
  sbom: () => import('./sbom.ts'),
  keygen: () => import('./keygen.ts'),
  verify: () => import('./verify.ts'),
  scan: () => import('./scan.ts'),
  query: () => import('./query.ts'),
  db: () => import('./db.ts'),
  fleet: () => import('./fleet.ts'),
  'serve-hooks': () => import('./serve-hooks.ts'),
  'serve-signer': () => import('./serve-signer.ts'),
};

/**
 * The lines of `bpx --help`, here so that listing the commands loads none of them (the bundle keeps each command in
 * its own chunk). A test checks each equals its command's own `summary`.
 */
export const SUMMARIES: Readonly<Record<keyof typeof commands, string>> = {
  phase: 'run one phase of a wrapped buildpack (what the shims call)',
  stage: 'stage an app locally as Cloud Foundry would: droplet.tgz, result.json, staging.log',
  wrap: 'wrap a buildpack (dir or zip) with an operator manifest into an uploadable buildpack',
  validate: 'check bpx.yml manifests, every error with file:line:column and field path',
  sbom: 'write the CycloneDX or SPDX SBOM of an app directory or droplet',
  keygen: 'create an Ed25519 or ECDSA P-256 signing key pair',
  verify: 'verify a droplet against its signed SBOM attestation',
  scan: 'scan droplets or SBOMs against an offline OSV database and/or NVD data',
  query: 'find droplets with a package or buildpack version in a range',
  db: 'build the prebuilt OSV index bpx scan reads (bpx db build --osv DIR)',
  fleet: 'inventory of droplets in SQLite or PostgreSQL: add, sync, query, buildpacks, restage, scan, export',
  'serve-hooks': 'run a reference receiver for http: extensions (logs requests, answers from a policy)',
  'serve-signer': 'run a reference remote signing service for builtin:sbom (DSSE, Ed25519/ECDSA P-256)',
};
