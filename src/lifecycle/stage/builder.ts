// Local emulation of the Cloud Foundry buildpack builder (cloudfoundry/buildpackapplifecycle buildpackrunner/runner.go).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { buildpackRoot, exists } from './buildpack-source.ts';
import { readBuildpackMetadata, type BuildpackMetadata } from './config-yml.ts';
import { depsIndex } from './deps-index.ts';
import {
  COMPILE_FAIL_MSG,
  DETECT_FAIL_MSG,
  FINALIZE_FAIL_MSG,
  MISSING_FINALIZE_WARN_MSG,
  NO_SUPPLY_SCRIPT_FAIL_MSG,
  RELEASE_FAIL_MSG,
  SUPPLY_FAIL_MSG,
  StagingError,
  wrap,
} from './errors.ts';
import { mergeProcesses, parseLaunchYml, parseProcessMap, parseRelease, toResult, type Process } from './processes.ts';
import { runScript } from './run-script.ts';
import YAML from 'yaml';

/** One buildpack ready to run: its key and the folder holding `bin/` (or a folder CF would search for it). */
export interface StagedBuildpack {
  key: string;
  dir: string;
}

export interface BuilderInput {
  buildpacks: StagedBuildpack[];
  skipDetect: boolean;
  /** the build dir: a writable copy of the app. */
  buildDir: string;
  /** the droplet contents folder; deps/ and profile.d/ are made in it. */
  contentsDir: string;
  /** the build artifacts cache: `final/` for the last buildpack, md5(key) for each supply buildpack. */
  cacheDir: string;
  env: Record<string, string>;
  log: (text: string) => void;
}

/** result.json as the builder writes it with `-outputMetadata`. */
export interface StagingResultJson {
  execution_metadata: string;
  lifecycle_metadata: {
    buildpack_key?: string;
    buildpacks: BuildpackMetadata[];
    detected_buildpack: string;
  };
  lifecycle_type: 'buildpack';
  process_types: Record<string, string> | null;
  processes?: Array<{ type: string; command: string }>;
  sidecars?: Array<{ name: string; process_types: string[]; command: string }>;
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
  result: StagingResultJson;
  /** only on success: staging_info.yml (already written into contentsDir). */
  stagingInfo?: StagingInfo;
}

/** Runs detect/supply/finalize/compile/release. The caller copies buildDir into contents/app and tars. */
export async function runBuilder(input: BuilderInput): Promise<BuilderOutcome> {
  const order = input.buildpacks;
  const supply = input.skipDetect ? order.slice(0, -1) : [];
  // The builder pads with the digit count of (supply buildpacks + 1): detect mode always uses "0".
  const count = supply.length + 1;
  const depsDir = join(input.contentsDir, 'deps');
  const profileDir = join(input.contentsDir, 'profile.d');
  const run = (script: string, args: string[], capture = false) =>
    runScript({ script, args, env: input.env, cwd: input.buildDir, log: input.log, capture });
  const println = (line: string) => input.log(`${line}\n`);

  await mkdir(join(input.cacheDir, 'final'), { recursive: true });
  for (const bp of supply) await mkdir(supplyCache(input.cacheDir, bp.key), { recursive: true });
  for (let i = 0; i < count; i++) await mkdir(join(depsDir, depsIndex(i, count)), { recursive: true });
  await mkdir(profileDir, { recursive: true });

  let finalBp: StagedBuildpack | undefined;
  let finalRoot = '';
  let detectOutput = '';

  const metadata = async (): Promise<BuildpackMetadata[]> => {
    const keys = input.skipDetect ? order.map((b) => b.key) : finalBp ? [finalBp.key] : [];
    const list = await Promise.all(
      keys.map((key, i) => readBuildpackMetadata(key, join(depsDir, depsIndex(i, count), 'config.yml'))),
    );
    if (!input.skipDetect && list.length > 0 && list[0].name === '') list[0] = { ...list[0], name: detectOutput };
    return list;
  };

  const fail = async (message: string): Promise<BuilderOutcome> => {
    const err = new StagingError(message);
    println(message);
    const buildpacks = await metadata();
    const last = buildpacks[buildpacks.length - 1];
    return {
      exitCode: err.exitCode,
      error: message,
      result: {
        execution_metadata: '',
        lifecycle_metadata: {
          ...(last?.key ? { buildpack_key: last.key } : {}),
          buildpacks,
          detected_buildpack: last?.name ?? '',
        },
        lifecycle_type: 'buildpack',
        process_types: null,
      },
    };
  };

  if (input.skipDetect) {
    // validateSupplyBuildpacks: every non-last buildpack must have bin/supply before any runs.
    const roots: string[] = [];
    for (const bp of supply) {
      let root: string;
      try {
        root = await buildpackRoot(bp.dir, bp.key);
      } catch (e) {
        println((e as Error).message);
        return fail(wrap(SUPPLY_FAIL_MSG, (e as Error).message));
      }
      if (!(await exists(join(root, 'bin', 'supply')))) return fail(NO_SUPPLY_SCRIPT_FAIL_MSG);
      roots.push(root);
    }
    for (let i = 0; i < supply.length; i++) {
      const r = await run(join(roots[i], 'bin', 'supply'), [
        input.buildDir,
        supplyCache(input.cacheDir, supply[i].key),
        depsDir,
        depsIndex(i, count),
      ]);
      if (r.error) return fail(wrap(SUPPLY_FAIL_MSG, r.error));
    }
    finalBp = order[order.length - 1];
    try {
      finalRoot = await buildpackRoot(finalBp.dir, finalBp.key);
    } catch (e) {
      return fail(wrap(SUPPLY_FAIL_MSG, (e as Error).message));
    }
  } else {
    for (const bp of order) {
      let root: string;
      try {
        root = await buildpackRoot(bp.dir, bp.key);
      } catch (e) {
        println((e as Error).message);
        continue;
      }
      const detect = join(root, 'bin', 'detect');
      let mode: number;
      try {
        mode = (await stat(detect)).mode;
      } catch (e) {
        println(`failed to find detect script: stat ${detect}: no such file or directory`);
        continue;
      }
      if ((mode & 0o111) !== 0o111) println("WARNING: buildpack script '/bin/detect' is not executable");
      const r = await run(detect, [input.buildDir], true);
      if (!r.error) {
        finalBp = bp;
        finalRoot = root;
        detectOutput = r.stdout.replace(/[\r\n]+$/, '');
        break;
      }
    }
    if (!finalBp) return fail(DETECT_FAIL_MSG);
  }

  // runFinalize: supply+finalize when bin/finalize exists, else compile after deleting the final deps dir.
  const idx = depsIndex(supply.length, count);
  const finalCache = join(input.cacheDir, 'final');
  if (await exists(join(finalRoot, 'bin', 'finalize'))) {
    if (await exists(join(finalRoot, 'bin', 'supply'))) {
      const r = await run(join(finalRoot, 'bin', 'supply'), [input.buildDir, finalCache, depsDir, idx]);
      if (r.error) return fail(wrap(COMPILE_FAIL_MSG, wrap(SUPPLY_FAIL_MSG, r.error)));
    }
    const r = await run(join(finalRoot, 'bin', 'finalize'), [input.buildDir, finalCache, depsDir, idx, profileDir]);
    if (r.error) return fail(wrap(COMPILE_FAIL_MSG, wrap(FINALIZE_FAIL_MSG, r.error)));
  } else {
    if (supply.length > 0) println(MISSING_FINALIZE_WARN_MSG);
    await rm(join(depsDir, idx), { recursive: true, force: true });
    const r = await run(join(finalRoot, 'bin', 'compile'), [input.buildDir, finalCache]);
    if (r.error) return fail(wrap(COMPILE_FAIL_MSG, wrap(COMPILE_FAIL_MSG, r.error)));
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
      if (r.error) return fail(wrap(RELEASE_FAIL_MSG, r.error));
      let released: Process[];
      try {
        released = parseRelease(r.stdout);
      } catch (e) {
        return fail(wrap(RELEASE_FAIL_MSG, wrap("buildpack's release output invalid", firstLine(e))));
      }
      procs = mergeProcesses(procs, released);
    }
  } catch (e) {
    return fail(firstLine(e));
  }
  let procfile: Process[] = [];
  try {
    const text = await readFile(join(input.buildDir, 'Procfile'), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    procfile = parseProcessMap(YAML.parse(text, { schema: 'failsafe' }));
  } catch {
    return fail('Failed to read command from Procfile: invalid YAML');
  }
  procs = mergeProcesses(procs, procfile);

  const converted = toResult(procs);
  if (!converted.process_types.web) {
    println('No start command specified by buildpack or via Procfile.');
    println('App will not start unless a command is provided at runtime.');
  }
  const buildpacks = await metadata();
  const last = buildpacks[buildpacks.length - 1];
  const stagingInfo: StagingInfo = {
    ...(last.config ? { config: last.config } : {}),
    detected_buildpack: last.name,
    start_command: converted.process_types.web ?? '',
  };
  const result: StagingResultJson = {
    execution_metadata: '',
    lifecycle_metadata: {
      ...(last.key ? { buildpack_key: last.key } : {}),
      buildpacks,
      detected_buildpack: last.name,
    },
    lifecycle_type: 'buildpack',
    process_types: converted.process_types,
    ...(converted.processes.length ? { processes: converted.processes } : {}),
    ...(converted.sidecars.length ? { sidecars: converted.sidecars } : {}),
  };
  return { exitCode: 0, result, stagingInfo };
}

async function mergeLaunchYml(depsDir: string, idx: string, procs: Process[]): Promise<Process[]> {
  const path = join(depsDir, idx, 'launch.yml');
  if (!(await exists(path))) return procs;
  return mergeProcesses(procs, parseLaunchYml(await readFile(path, 'utf8')));
}

/** supplyCachePath: one cache folder per supply buildpack, named by the md5 of its key. */
function supplyCache(cacheDir: string, key: string): string {
  return join(cacheDir, createHash('md5').update(key).digest('hex'));
}

function firstLine(e: unknown): string {
  return String((e as Error)?.message ?? e).split('\n')[0];
}

/** Moves the build dir into the droplet contents as ./app (the builder copies it with `cp -a`). */
export async function moveApp(buildDir: string, contentsDir: string): Promise<void> {
  await rename(buildDir, join(contentsDir, 'app'));
}
