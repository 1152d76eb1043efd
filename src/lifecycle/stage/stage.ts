// `bpx stage`: the whole Cloud Foundry staging of one app, locally, laid out as the builder lays it out.
import { closeSync, openSync, writeSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { writeDroplet } from '../../droplet/write.ts';
import { atomicTemp, writeFileAtomic } from '../../fs/atomic-write.ts';
import { materialise, type BuildpackSpec } from './buildpack-source.ts';
import { moveApp, runBuilder, type BuilderFlavor, type StagingInfo, type StagingResultJson } from './builder.ts';
import { copyTree } from './copy-tree.ts';
import { stagingEnv } from './env.ts';
import { sortKeys } from './sort-keys.ts';

export interface StageOptions {
  appDir: string;
  buildpacks: BuildpackSpec[];
  skipDetect: boolean;
  /** which builder to imitate (default `current`). */
  builder?: BuilderFlavor;
  /** a build artifacts cache kept between stagings (the builder's -buildArtifactsCacheDir); default a fresh one. */
  cacheDir?: string;
  stack: string;
  outDir: string;
  /** PATH and HOME for the scripts (the CLI takes them from its own environment). */
  path: string;
  home: string;
  /** where the work folder is made (build dir, deps, caches, TMPDIR). */
  tmpRoot: string;
  /** `--env K=V` values, applied over the CF environment. */
  env?: Readonly<Record<string, string>>;
  memoryLimit?: string;
  /** seconds since the epoch: every droplet entry gets this mtime. */
  sourceDateEpoch?: number;
  /** every chunk of the staging log as it happens (the CLI prints it live). */
  onLog?: (text: string) => void;
  /** Ctrl-C or SIGTERM: the running script's process group is killed, nothing is written but the log, temp files go. */
  signal?: AbortSignal;
}

export interface StageOutcome {
  exitCode: number;
  /** the builder's failure line when exitCode is not 0. */
  error?: string;
  result: StagingResultJson;
  stagingInfo?: StagingInfo;
  /** undefined when the builder writes no result file (nothing detected). */
  resultPath?: string;
  /** where the imitated builder and the other flavor part ways, or why the builder refused the result. */
  notes: string[];
  logPath: string;
  /** only when staging succeeded. */
  dropletPath?: string;
}

/** The staging was interrupted (opts.signal): the work folder is gone, no droplet or result was written. */
export class StageInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'StageInterrupted';
  }
}

/** Bad input found before staging starts (no such app, unreadable zip...): the CLI reports it as a usage error. */
export class StageInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageInputError';
  }
}

export async function stage(opts: StageOptions): Promise<StageOutcome> {
  const appDir = resolve(opts.appDir);
  const st = await stat(appDir).catch(() => null);
  if (!st?.isDirectory()) throw new StageInputError(`--app ${opts.appDir}: not a folder`);
  if (opts.buildpacks.length === 0) throw new StageInputError('at least one --buildpack is needed');
  const keys = new Set<string>();
  for (const bp of opts.buildpacks) {
    if (keys.has(bp.key)) throw new StageInputError(`buildpack key '${bp.key}' is given twice; name them KEY=PATH`);
    keys.add(bp.key);
  }

  if (opts.cacheDir) await checkCacheDir(opts.cacheDir);
  const outDir = resolve(opts.outDir);
  const outSt = await stat(outDir).catch(() => null);
  if (outSt && !outSt.isDirectory()) throw new StageInputError(`-o ${opts.outDir}: exists and is not a folder`);
  const work = await mkdtemp(join(opts.tmpRoot, 'bpx-stage-'));
  // The builder's layout: its TMPDIR holds the droplet contents as contents<digits> (Go's ioutil.TempDir).
  const tmp = join(work, 'temp');
  const dirs = {
    build: join(work, 'app'),
    contents: join(tmp, `contents${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`),
    cache: opts.cacheDir ? resolve(opts.cacheDir) : join(work, 'cache'),
    buildpacks: join(work, 'buildpacks'),
    tmp,
  };
  // The buildpacks first: a missing or unreadable one is bad input, and leaves the output folder as it was.
  const staged = [];
  try {
    for (const [n, bp] of opts.buildpacks.entries()) staged.push({ key: bp.key, dir: resolve(await materialise(bp, dirs.buildpacks, n)) });
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw new StageInputError((e as Error).message);
  }
  await mkdir(outDir, { recursive: true });
  // A failed staging must not leave an earlier staging's droplet or result looking current.
  await rm(join(outDir, 'droplet.tgz'), { force: true });
  await rm(join(outDir, 'result.json'), { force: true });
  const logPath = join(outDir, 'staging.log');
  // the log is written as it happens beside its place, and put there whatever the outcome (even interrupted)
  const logTmp = atomicTemp(logPath);
  const fd = openSync(logTmp.path, 'wx');
  const log = (text: string) => {
    writeSync(fd, text);
    opts.onLog?.(text);
  };
  try {
    await mkdir(dirs.contents, { recursive: true });
    await mkdir(dirs.cache, { recursive: true });
    await copyTree(appDir, dirs.build);

    const env = stagingEnv({
      appName: basename(appDir),
      stack: opts.stack,
      path: opts.path,
      home: opts.home,
      tmpDir: dirs.tmp,
      memoryLimit: opts.memoryLimit,
      extra: opts.env,
    });
    const outcome = await runBuilder({
      buildpacks: staged,
      skipDetect: opts.skipDetect,
      flavor: opts.builder ?? 'current',
      buildDir: dirs.build,
      contentsDir: dirs.contents,
      cacheDir: dirs.cache,
      env,
      log,
      signal: opts.signal,
    });
    if (opts.signal?.aborted) throw new StageInterrupted();

    const resultPath = join(outDir, 'result.json');
    let dropletPath: string | undefined;
    if (outcome.exitCode === 0 && outcome.stagingInfo) {
      // staging_info.yml is JSON on one line, as Go's json.Encoder writes it.
      await writeFile(join(dirs.contents, 'staging_info.yml'), `${JSON.stringify(sortKeys(outcome.stagingInfo))}\n`);
      await mkdir(join(dirs.contents, 'tmp'), { mode: 0o755 });
      await mkdir(join(dirs.contents, 'logs'), { mode: 0o755 });
      await moveApp(dirs.build, dirs.contents);
      dropletPath = join(outDir, 'droplet.tgz');
      const mtime = opts.sourceDateEpoch !== undefined ? new Date(opts.sourceDateEpoch * 1000) : undefined;
      await writeDroplet(dirs.contents, dropletPath, { mtime });
    }
    // The builder's own bytes: compact JSON in its field order, or an empty file when it could not encode it.
    if (outcome.resultText !== undefined) await writeFileAtomic(resultPath, outcome.resultText);
    return {
      exitCode: outcome.exitCode,
      error: outcome.error,
      result: outcome.result,
      stagingInfo: outcome.stagingInfo,
      resultPath: outcome.resultText !== undefined ? resultPath : undefined,
      notes: outcome.notes,
      logPath,
      dropletPath,
    };
  } finally {
    closeSync(fd);
    await logTmp.commit().catch(() => logTmp.discard());
    // Scripts may leave read-only folders behind: make the work tree removable before deleting it.
    await rm(work, { recursive: true, force: true }).catch(async () => {
      await makeOwnerWritable(work);
      await rm(work, { recursive: true, force: true }).catch(() => undefined);
    });
  }
}

/**
 * The builder deletes every entry of its cache folder that no named buildpack uses: refuse a folder holding anything
 * but build caches (`final`, 16 hex digits, or the md5 names of older builders), so `--cache .` cannot wipe a project.
 */
async function checkCacheDir(dir: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (!st) return;
  if (!st.isDirectory()) throw new StageInputError(`--cache ${dir}: exists and is not a folder`);
  const foreign = (await readdir(dir)).filter((n) => !/^(final|[0-9a-f]{16}|[0-9a-f]{32})$/.test(n));
  if (foreign.length) {
    throw new StageInputError(
      `--cache ${dir}: holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}, which is not a build cache; the builder would delete it (use an empty or new folder)`,
    );
  }
}

async function makeOwnerWritable(dir: string): Promise<void> {
  await chmod(dir, 0o700).catch(() => undefined);
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory()) await makeOwnerWritable(join(dir, e.name));
  }
}
