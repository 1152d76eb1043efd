// Local emulation of the Cloud Foundry buildpack builder (cloudfoundry/buildpackapplifecycle buildpackrunner/runner.go),
// checked against the real builder's recordings in ../shared/cf-builder/recordings.
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import YAML from 'yaml';
import { outputMetadataProblem, parseBuildpackMetadata, type BuildpackMetadata } from '../../platform/config-yml.ts';
// one rule for where bin/ lives, shared with `bpx wrap` (runner.go buildpackPath)
import { buildpackRoot } from '../../platform/buildpack-root.ts';
import { exists } from '../../fs/exists.ts';
import { depsIndex } from '../../platform/phases.ts';
import {
  COMPILE_FAIL_MSG,
  DETECT_FAIL_MSG,
  FINALIZE_FAIL_MSG,
  MISSING_FINALIZE_WARN_MSG,
  NO_SUPPLY_SCRIPT_FAIL_MSG,
  RELEASE_FAIL_MSG,
  SUPPLY_FAIL_MSG,
  exitCodeOf,
  wrap,
  type FailureKind,
} from './errors.ts';
import { mergeProcesses, parseLaunchYml, parseProcessMap, parseRelease, toResult, type Process } from './processes.ts';
import { encodeResult, GoJsonError, type StagingResultJson } from './result-json.ts';
import { runScript } from './run-script.ts';
import { supplyCacheName } from './supply-cache.ts';

export type { StagingResultJson } from './result-json.ts';

/**
 * Which builder to imitate: `current` (buildpackapplifecycle since Feb 2026, commit 3214c91: config.yml
 * `output_metadata` is copied into result.json, and a nested map there fails the staging), or `legacy` (before it:
 * `output_metadata` is ignored). Foundations on older releases still run the legacy one.
 */
export type BuilderFlavor = 'current' | 'legacy';

/** One buildpack ready to run: its key and the folder holding `bin/` (or a folder CF would search for it). */
export interface StagedBuildpack {
  key: string;
  dir: string;
}

export interface BuilderInput {
  buildpacks: StagedBuildpack[];
  skipDetect: boolean;
  flavor: BuilderFlavor;
  /** the build dir: a writable copy of the app. */
  buildDir: string;
  /** the droplet contents folder; deps/ and profile.d/ are made in it. */
  contentsDir: string;
  /** the build artifacts cache: `final/` for the last buildpack, XXH64(key) for each supply buildpack. */
  cacheDir: string;
  env: Record<string, string>;
  log: (text: string) => void;
  /** an interrupted staging: the running script's process group is killed and no later script starts. */
  signal?: AbortSignal;
}

export interface StagingInfo {
  detected_buildpack: string;
  start_command: string;
  config?: Record<string, unknown>;
}

export interface BuilderOutcome {
  /** 0, or the builder's exit code. */
  exitCode: number;
  /** the failure line the builder prints last (already written to the log). */
  error?: string;
  /** the result as data (also when the builder could not serialise it, or wrote no file). */
  result: StagingResultJson;
  /** the result file's bytes: undefined when the builder writes no result file, '' when it leaves it empty. */
  resultText?: string;
  /** only on success: staging_info.yml (the caller writes it into contentsDir). */
  stagingInfo?: StagingInfo;
  /** where this staging would go differently on the other builder flavor, or why it failed, in plain words. */
  notes: string[];
}

/** Runs detect/supply/finalize/compile/release. The caller copies buildDir into contents/app and tars. */
export async function runBuilder(input: BuilderInput): Promise<BuilderOutcome> {
  const order = input.buildpacks;
  const supply = input.skipDetect ? order.slice(0, -1) : [];
  // The builder pads with the digit count of (supply buildpacks + 1): detect mode always uses "0".
  const count = supply.length + 1;
  const depsDir = join(input.contentsDir, 'deps');
  const profileDir = join(input.contentsDir, 'profile.d');
  const run = async (script: string, args: string[], capture = false) => {
    if (input.signal?.aborted) return { error: 'signal: interrupt', stdout: '' };
    return runScript({ script, args, env: input.env, cwd: input.buildDir, log: input.log, capture, signal: input.signal });
  };
  const println = (line: string) => input.log(`${line}\n`);
  // the builder prints why a buildpack has no bin/ (and, with --skip-detect, fails with it)
  const rootOrError = (bp: { dir: string; key: string }) => buildpackRoot(bp.dir, bp.key).catch((e: unknown) => e as Error);
  const notes: string[] = [];

  // Setup: makeDirectories, then cleanCacheDir (caches of buildpacks no longer in the order are deleted).
  const supplyCaches = await Promise.all(supply.map(async (bp) => join(input.cacheDir, await supplyCacheName(bp.key))));
  await mkdir(join(input.cacheDir, 'final'), { recursive: true });
  for (const dir of supplyCaches) await mkdir(dir, { recursive: true });
  for (let i = 0; i < count; i++) await mkdir(join(depsDir, depsIndex(i, count)), { recursive: true });
  await mkdir(profileDir, { recursive: true });
  const needed = new Set(['final', ...supplyCaches.map((d) => d.slice(input.cacheDir.length + 1))]);
  for (const name of await readdir(input.cacheDir)) {
    if (!needed.has(name)) await rm(join(input.cacheDir, name), { recursive: true, force: true });
  }

  let finalBp: StagedBuildpack | undefined;
  let finalRoot = '';
  let detectOutput = '';

  const metadata = async (): Promise<BuildpackMetadata[]> => {
    const keys = input.skipDetect ? order.map((b) => b.key) : finalBp ? [finalBp.key] : [];
    return Promise.all(
      keys.map(async (key, i) => {
        const file = join(depsDir, depsIndex(i, count), 'config.yml');
        const text = await readFile(file, 'utf8').catch(() => undefined);
        return parseBuildpackMetadata(key, text, { outputMetadata: true });
      }),
    );
  };

  /**
   * The result file from the buildpacks' metadata. On the current builder an output_metadata that Go cannot encode
   * leaves the file empty; the legacy builder never reads output_metadata.
   */
  const serialise = (result: StagingResultJson): { text: string; problem?: string } => {
    for (const [i, bp] of result.lifecycle_metadata.buildpacks.entries()) {
      const p = outputMetadataProblem(bp.output_metadata);
      if (!p) continue;
      const where = `buildpack '${bp.key}' deps/${depsIndex(i, count)}/config.yml output_metadata.${p.key}`;
      if (input.flavor === 'current') {
        notes.push(
          `${where} cannot be written by the builder (${p.message}): only strings, numbers, booleans and lists of them are allowed there`,
        );
      } else {
        notes.push(
          `the current builder (buildpackapplifecycle since Feb 2026) would fail this staging with exit 1: ${where}: ${p.message}`,
        );
      }
    }
    const forFile = input.flavor === 'legacy' ? stripOutputMetadata(result) : result;
    try {
      return { text: encodeResult(forFile) };
    } catch (e) {
      if (e instanceof GoJsonError) return { text: '', problem: e.message };
      throw e;
    }
  };

  const fail = async (kind: FailureKind, message: string, opts: { noResult?: boolean } = {}): Promise<BuilderOutcome> => {
    println(message);
    const exitCode = exitCodeOf(kind);
    // The result written on failure: the buildpacks' config.yml only (detect output is not used as the name).
    const buildpacks = opts.noResult ? [] : await metadata();
    const last = buildpacks[buildpacks.length - 1];
    const result: StagingResultJson = {
      lifecycle_metadata: {
        ...(last?.key ? { buildpack_key: last.key } : {}),
        detected_buildpack: last?.name ?? '',
        buildpacks,
      },
      process_types: null,
      execution_metadata: '',
      lifecycle_type: 'buildpack',
    };
    const resultText = opts.noResult ? undefined : serialise(result).text;
    return { exitCode, error: message, result: forFlavor(result, input.flavor), resultText, notes };
  };

  if (input.skipDetect) {
    // validateSupplyBuildpacks: every non-last buildpack must have bin/supply before any runs.
    const roots: string[] = [];
    for (const bp of supply) {
      const root = await rootOrError(bp);
      if (root instanceof Error) {
        println(root.message);
        return fail('supply', wrap(SUPPLY_FAIL_MSG, root.message));
      }
      if (!(await exists(join(root, 'bin', 'supply')))) return fail('supply', NO_SUPPLY_SCRIPT_FAIL_MSG);
      roots.push(root);
    }
    for (let i = 0; i < supply.length; i++) {
      const r = await run(join(roots[i], 'bin', 'supply'), [input.buildDir, supplyCaches[i], depsDir, depsIndex(i, count)]);
      if (r.error) return fail('supply', wrap(SUPPLY_FAIL_MSG, r.error));
    }
    finalBp = order[order.length - 1];
    const root = await rootOrError(finalBp);
    if (root instanceof Error) return fail('supply', wrap(SUPPLY_FAIL_MSG, root.message));
    finalRoot = root;
  } else {
    for (const bp of order) {
      const root = await rootOrError(bp);
      if (root instanceof Error) {
        println(root.message);
        continue;
      }
      const detect = join(root, 'bin', 'detect');
      let mode: number;
      try {
        mode = (await stat(detect)).mode;
      } catch {
        println(`failed to find detect script: stat ${detect}: no such file or directory`);
        continue;
      }
      if ((mode & 0o111) !== 0o111) println("WARNING: buildpack script '/bin/detect' is not executable");
      const r = await run(detect, [input.buildDir], true);
      if (!r.error) {
        finalBp = bp;
        finalRoot = root;
        // The whole output, trailing CR/LF trimmed: a two-line output stays two lines ("line one\nline two").
        detectOutput = r.stdout.replace(/[\r\n]+$/, '');
        break;
      }
    }
    // Nothing detected: the builder exits 222 and writes no result file at all.
    if (!finalBp) return fail('detect', DETECT_FAIL_MSG, { noResult: true });
  }

  // runFinalize: supply+finalize when bin/finalize exists, else compile after deleting the final deps dir.
  const idx = depsIndex(supply.length, count);
  const finalCache = join(input.cacheDir, 'final');
  if (await exists(join(finalRoot, 'bin', 'finalize'))) {
    if (await exists(join(finalRoot, 'bin', 'supply'))) {
      const r = await run(join(finalRoot, 'bin', 'supply'), [input.buildDir, finalCache, depsDir, idx]);
      if (r.error) return fail('compile', wrap(COMPILE_FAIL_MSG, wrap(SUPPLY_FAIL_MSG, r.error)));
    }
    const r = await run(join(finalRoot, 'bin', 'finalize'), [input.buildDir, finalCache, depsDir, idx, profileDir]);
    if (r.error) return fail('compile', wrap(COMPILE_FAIL_MSG, wrap(FINALIZE_FAIL_MSG, r.error)));
  } else {
    if (supply.length > 0) println(MISSING_FINALIZE_WARN_MSG);
    await rm(join(depsDir, idx), { recursive: true, force: true });
    const r = await run(join(finalRoot, 'bin', 'compile'), [input.buildDir, finalCache]);
    if (r.error) return fail('compile', wrap(COMPILE_FAIL_MSG, wrap(COMPILE_FAIL_MSG, r.error)));
  }

  // Process types. The builder looks for launch.yml under the UNPADDED index (strconv.Itoa), and for the final
  // buildpack under len(order)-1 even in detect mode: reproduced as is, so bpx stage agrees with real CF.
  let procs: Process[] = [];
  try {
    for (let i = 0; i < supply.length; i++) procs = await mergeLaunchYml(depsDir, String(i), procs);
    const finalLaunch = join(depsDir, String(order.length - 1), 'launch.yml');
    if (await exists(finalLaunch)) {
      procs = await mergeLaunchYml(depsDir, String(order.length - 1), procs);
    } else {
      const r = await run(join(finalRoot, 'bin', 'release'), [input.buildDir], true);
      if (r.error) return fail('release', wrap(RELEASE_FAIL_MSG, r.error));
      let released: Process[];
      try {
        released = parseRelease(r.stdout);
      } catch (e) {
        return fail('release', wrap(RELEASE_FAIL_MSG, wrap("buildpack's release output invalid", firstLine(e))));
      }
      procs = mergeProcesses(procs, released);
    }
  } catch (e) {
    return fail('lifecycle', firstLine(e));
  }
  let procfile: Process[] = [];
  try {
    const text = await readFile(join(input.buildDir, 'Procfile'), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    procfile = parseProcessMap(YAML.parse(text, { schema: 'failsafe', maxAliasCount: 100 }));
  } catch {
    return fail('lifecycle', 'Failed to read command from Procfile: invalid YAML');
  }
  procs = mergeProcesses(procs, procfile);

  const converted = toResult(procs);
  if (!converted.process_types.web) {
    println('No start command specified by buildpack or via Procfile.');
    println('App will not start unless a command is provided at runtime.');
  }
  const buildpacks = await metadata();
  // Detect mode: a buildpack that wrote no name (no config.yml) is named by its detect output.
  if (!input.skipDetect && buildpacks[0].name === '') buildpacks[0] = { ...buildpacks[0], name: detectOutput };
  const last = buildpacks[buildpacks.length - 1];
  const stagingInfo: StagingInfo = {
    ...(last.config ? { config: last.config } : {}),
    detected_buildpack: last.name,
    start_command: converted.process_types.web ?? '',
  };
  const result: StagingResultJson = {
    lifecycle_metadata: {
      ...(last.key ? { buildpack_key: last.key } : {}),
      detected_buildpack: last.name,
      buildpacks,
    },
    process_types: converted.process_types,
    ...(converted.processes.length ? { processes: converted.processes } : {}),
    ...(converted.sidecars.length ? { sidecars: converted.sidecars } : {}),
    execution_metadata: '',
    lifecycle_type: 'buildpack',
  };
  const encoded = serialise(result);
  if (encoded.problem) {
    // json.Encoder failed after the file was created: the builder prints the error, exits 1, writes no droplet.
    println(encoded.problem);
    return { exitCode: exitCodeOf('lifecycle'), error: encoded.problem, result, resultText: '', notes };
  }
  return { exitCode: 0, result: forFlavor(result, input.flavor), resultText: encoded.text, stagingInfo, notes };
}

function stripOutputMetadata(result: StagingResultJson): StagingResultJson {
  const buildpacks = result.lifecycle_metadata.buildpacks.map(({ output_metadata: _drop, ...rest }) => rest);
  return { ...result, lifecycle_metadata: { ...result.lifecycle_metadata, buildpacks } };
}

function forFlavor(result: StagingResultJson, flavor: BuilderFlavor): StagingResultJson {
  return flavor === 'legacy' ? stripOutputMetadata(result) : result;
}

async function mergeLaunchYml(depsDir: string, idx: string, procs: Process[]): Promise<Process[]> {
  const path = join(depsDir, idx, 'launch.yml');
  if (!(await exists(path))) return procs;
  return mergeProcesses(procs, parseLaunchYml(await readFile(path, 'utf8')));
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Moves the build dir into the droplet contents as ./app (the builder copies it with `cp -a`). */
export async function moveApp(buildDir: string, contentsDir: string): Promise<void> {
  await rename(buildDir, join(contentsDir, 'app'));
}
