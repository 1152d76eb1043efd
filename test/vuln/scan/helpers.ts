// Builds real droplets for scan/query tests: staged with bpx's own SBOM writer and signer, or bare.
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { captureDir } from '../../../src/catalog/index.ts';
import { writeDroplet } from '../../../src/droplet/write.ts';
import { stageSbom } from '../../../src/sbom/stage.ts';
import { createLocalSigner, generateKeyPair } from '../../../src/sbom/sign/keys.ts';
import { main } from '../../../src/cli/main.ts';

export function tempDir(prefix = 'bpx-scan-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface Built {
  tgz: string;
  dir: string;
}

/** A droplet tree: app/ with the given corpus app files, deps/0/config.yml naming the buildpack. */
export function dropletTree(root: string, appFrom: string, bp: { name: string; version: string }): string {
  const dir = join(root, 'tree');
  mkdirSync(join(dir, 'deps', '0'), { recursive: true });
  cpSync(appFrom, join(dir, 'app'), { recursive: true });
  // the corpus is read-only; staged apps are writable (0644) as the builder leaves them
  for (const f of readdirSync(join(dir, 'app'))) chmodSync(join(dir, 'app', f), 0o644);
  writeFileSync(join(dir, 'deps', '0', 'config.yml'), `name: ${bp.name}\nversion: ${bp.version}\nconfig: {}\n`);
  writeFileSync(join(dir, 'staging_info.yml'), JSON.stringify({ detected_buildpack: bp.name, start_command: 'npm start' }));
  mkdirSync(join(dir, 'tmp'));
  mkdirSync(join(dir, 'logs'));
  return dir;
}

/** Stages the SBOM into app/.bpx (signed when keys are given) and writes the tarball. */
export async function stagedDroplet(
  root: string,
  appFrom: string,
  bp: { name: string; version: string; key: string },
  privatePem?: string,
): Promise<Built> {
  const dir = dropletTree(root, appFrom, bp);
  const capture = await captureDir(join(dir, 'app'));
  await stageSbom({
    capture,
    phase: 'finalize',
    buildDir: join(dir, 'app'),
    depsDir: join(dir, 'deps'),
    depsIdx: '0',
    env: {},
    known: [{ index: '0', key: bp.key }],
    formats: ['cyclonedx', 'spdx'],
    ...(privatePem ? { signer: createLocalSigner(privatePem) } : {}),
  });
  const tgz = join(root, `${bp.name}-${bp.version}.tgz`);
  await writeDroplet(dir, tgz);
  return { tgz, dir };
}

export const keys = () => generateKeyPair('ed25519');

/** Runs the CLI in-process with captured stdout/stderr. */
export async function cli(argv: string[], cwd: string, isTTY = false): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough(), env: {}, cwd, isTTY });
  return { code, out, err };
}
