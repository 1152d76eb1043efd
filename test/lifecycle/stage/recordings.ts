// The real Cloud Foundry builder's recordings (../shared/cf-builder/recordings): load one, stage it with bpx stage
// (plain or wrapped buildpacks), and read back what bpx wrote in the recordings' own terms.
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { bpx, cfBuilder, hasShared, listing, readJson, tmp, type CliRun } from './helpers.ts';

export interface RecordingInput {
  app: string;
  skipDetect: boolean;
  buildpacks: Array<{ key: string; dir: string }>;
}

export interface Recording {
  name: string;
  dir: string;
  input: RecordingInput;
  exitCode: number;
  /** result.raw.json byte for byte, or undefined when the builder wrote no result file (`no-result`). */
  raw?: string;
  log: string;
  listing?: string[];
  stagingInfo?: unknown;
  /** the builder flavor that made it: `legacy` for the recording made before output_metadata support. */
  builder: 'current' | 'legacy';
}

export function recordings(): Recording[] {
  if (!hasShared()) return [];
  const root = join(cfBuilder, 'recordings');
  return readdirSync(root)
    .sort()
    .map((name) => load(name, join(root, name)));
}

export function load(name: string, dir: string): Recording {
  const file = (f: string) => join(dir, f);
  return {
    name,
    dir,
    input: readJson(file('input.json')) as RecordingInput,
    exitCode: Number(readFileSync(file('exit-code'), 'utf8').trim()),
    raw: existsSync(file('no-result')) ? undefined : readFileSync(file('result.raw.json'), 'utf8'),
    log: readFileSync(file('builder-output.txt'), 'utf8'),
    listing: existsSync(file('droplet-listing.txt'))
      ? readFileSync(file('droplet-listing.txt'), 'utf8').trim().split('\n').sort()
      : undefined,
    stagingInfo: existsSync(file('staging_info.json')) ? readJson(file('staging_info.json')) : undefined,
    builder: name.endsWith('-pre-3214c91') ? 'legacy' : 'current',
  };
}

export interface Staged {
  run: CliRun;
  out: string;
  /** staging.log with this run's work folders written as the recordings write them (<WORK>). */
  log: string;
  /** result.json as written, or undefined when there is none. */
  resultText?: string;
  listing?: string[];
  stagingInfo?: unknown;
}

/**
 * `bpx stage` of a recording's app and buildpacks; `dirOf` maps a recorded buildpack folder to the one to stage
 * (itself, or a wrapped copy). `cache` keeps the build artifacts cache between runs, as the recordings' run2 does.
 */
export async function stageRecording(
  rec: Recording,
  dirOf: (bpDir: string) => string,
  opts: { cache?: string; input?: RecordingInput } = {},
): Promise<Staged> {
  const input = opts.input ?? rec.input;
  const out = tmp('bpx-rec-out-');
  const tmpRoot = tmp('bpx-rec-tmp-');
  const args = ['stage', '--app', join(cfBuilder, 'apps', input.app), '-o', out, '--builder', rec.builder];
  for (const bp of input.buildpacks) args.push('--buildpack', `${bp.key}=${dirOf(join(cfBuilder, 'buildpacks', bp.dir))}`);
  if (input.skipDetect) args.push('--skip-detect');
  if (opts.cache) args.push('--cache', opts.cache);
  const run = bpx(args, { env: { TMPDIR: tmpRoot } });
  // <tmpRoot>/bpx-stage-XXXXXX is the builder's work folder; a kept cache stands where the builder's cache is.
  const mask = (text: string) => {
    const t = text.replaceAll(new RegExp(`${escape(tmpRoot)}/bpx-stage-[^/]+`, 'g'), '<WORK>');
    return opts.cache ? t.replaceAll(opts.cache, '<WORK>/cache') : t;
  };
  const log = mask(readFileSync(join(out, 'staging.log'), 'utf8'));
  const resultFile = join(out, 'result.json');
  const staged: Staged = {
    run: { ...run, stdout: mask(run.stdout) },
    out,
    log,
    resultText: existsSync(resultFile) ? readFileSync(resultFile, 'utf8') : undefined,
  };
  if (existsSync(join(out, 'droplet.tgz'))) {
    staged.listing = await listing(join(out, 'droplet.tgz'));
    staged.stagingInfo = JSON.parse(await entryText(join(out, 'droplet.tgz'), './staging_info.yml'));
  }
  return staged;
}

/** `type mode ./path` of every entry of a build artifacts cache, as cache-listing.txt writes them. */
export function cacheListing(dir: string, prefix = '.'): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const st = lstatSync(p);
    out.push(`${st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : 'f'} ${(st.mode & 0o7777).toString(8)} ${prefix}/${name}`);
    if (st.isDirectory()) out.push(...cacheListing(p, `${prefix}/${name}`));
  }
  return out;
}

/** The listing lines of each `## after run N` section of cache-listing.txt. */
export function recordedCacheListings(rec: Recording): string[][] {
  const text = readFileSync(join(rec.dir, 'cache-listing.txt'), 'utf8');
  return text
    .split(/^## /m)
    .slice(1)
    .map((section) =>
      section
        .split('\n')
        .slice(1)
        .filter((l) => l && !l.startsWith('#')),
    );
}

/** Asserts that `want`'s lines appear in `got` in the same order (other lines may come between them). */
export function assertSubsequence(got: string, want: string, message: string): void {
  const lines = got.split('\n');
  let at = 0;
  for (const w of want.split('\n').filter(Boolean)) {
    const i = lines.indexOf(w, at);
    assert.ok(i >= 0, `${message}: line not found in order: ${JSON.stringify(w)}\n--- got:\n${got}`);
    at = i + 1;
  }
}

async function entryText(tgz: string, path: string): Promise<string> {
  const tar = await import('tar');
  let text = '';
  await tar.t({
    file: tgz,
    onReadEntry: (e) => {
      if (e.path === path) e.on('data', (c: Buffer) => (text += c.toString()));
    },
  });
  return text;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
