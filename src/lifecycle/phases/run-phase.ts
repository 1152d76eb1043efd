// One wrapped phase (DESIGN.md §1): before extensions, the inner buildpack's script, after extensions; exit codes as documented.
import { lstatSync, readFileSync, realpathSync, statSync, unlinkSync, type Stats } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { COMPILED_NAME, readCompiled } from '../../manifest/compiled.ts';
import { mergeManifests, secretEnvNames, type ManifestSource } from '../../manifest/merge.ts';
import type { Point, ResolvedExtension } from '../../manifest/types.ts';
import type { Capture } from '../../model/index.ts';
import { buildContext, listBuildpacks, type ConfigNames } from '../hooks/context.ts';
import type { BuiltinRegistry } from '../hooks/run-extension.ts';
import type { Phase, StagingState, When } from '../hooks/types.ts';
import { parseInstallLine, runInner } from '../buildpack/run-inner.ts';
import { beginStep, loadState, removeState, saveState, stagingEnds, startsAnew, statePath } from '../state.ts';
import { takeInstallLines } from '../install-lines.ts';
import { WRAPPER_EXIT } from '../../platform/exit-codes.ts';
import { keepYoungGenerationSmall } from '../../platform/young-generation.ts';
import { dirEnv, dirsFromArgv, type PhaseDirs } from './args.ts';

/** Exit code of a phase when an extension with `onFailure: fail` failed (the inner script's own codes pass through). */
export const EXIT_EXTENSION_FAILED = WRAPPER_EXIT.extensionFailed;
/** Exit code when the wrapper itself is broken (no operator manifest, unreadable layout). */
export const EXIT_WRAPPER_BROKEN = WRAPPER_EXIT.wrapperBroken;

export interface PhaseRunOptions {
  phase: Phase;
  /** argv exactly as the CF builder passed it to the shim. */
  argv: string[];
  /** root of the wrapped buildpack (bin/ shims, inner/, bpx/bpx.yml, runtime/). */
  wrapperDir: string;
  /** the builder's environment as the shim received it. */
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  tmpDir: string;
  builtins: BuiltinRegistry;
  /** SIGTERM → SIGKILL grace for timed-out script extensions (default 5 s). */
  graceMs?: number;
  /** told each extension's own time as it ends (ExtensionOutcome.workMs), so that a bench can tell it from bpx's. */
  onExtensionTime?(t: { extension: string; when: When; ms: number }): void;
  /**
   * The shim already ran the inner script, and it succeeded (src/wrap/shim.ts InnerFirst): only the extensions after it
   * run here. output: the file the shim kept its stdout in (the held detect output, or the copy of supply, finalize or
   * compile for the install lines); read, then removed.
   */
  innerRan?: { output?: string };
}

/** The environment every child sees: the builder's, minus bpx's own variables, a BUILDPACK_DIR pointing at the wrapper, and operator secrets. */
export function childEnvironment(
  env: Record<string, string | undefined>,
  wrapperDir: string,
  secrets: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const wrapper = resolve(wrapperDir);
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined || k.startsWith('BPX_') || secrets.includes(k)) continue;
    if (k === 'BUILDPACK_DIR' && resolve(v) === wrapper) continue;
    out[k] = v;
  }
  return out;
}

export async function runPhase(opts: PhaseRunOptions): Promise<number> {
  const { phase } = opts;
  const quiet = phase === 'detect' || phase === 'release';
  // detect and release stdout belong to the inner script alone: everything else goes to stderr then.
  const logStream = quiet ? opts.stderr : opts.stdout;
  const logAs = (name: string) => (line: string) => logStream.write(`[${name}] ${line}\n`);
  const bpxLog = logAs('bpx');
  const dirs = dirsFromArgv(phase, opts.argv);
  const innerScript = join(opts.wrapperDir, 'inner', 'bin', phase);

  const opFile = join(opts.wrapperDir, 'bpx', 'bpx.yml');
  const builtinNames = Object.keys(opts.builtins);
  // Fast start: the JSON bpx wrap stored (no YAML parser, no ajv); a hand-edited bpx.yml is validated again.
  const stored = await readCompiled(opFile, join(opts.wrapperDir, 'bpx', COMPILED_NAME));
  const loadManifest = async (...a: Parameters<typeof import('../../manifest/load.ts').loadManifest>) =>
    (await import('../../manifest/load.ts')).loadManifest(...a);
  const op = stored
    ? { manifest: stored, dir: join(opts.wrapperDir, 'bpx'), errors: [] }
    : await loadManifest(opFile, { builtinNames, kind: 'operator' });
  if (!op.manifest) {
    for (const e of op.errors) opts.stderr.write(`bpx: ${e.file}:${e.line}:${e.column}: ${e.path}: ${e.message}\n`);
    opts.stderr.write(`bpx: the operator manifest of this wrapped buildpack is invalid; refusing to stage without its extensions\n`);
    return EXIT_WRAPPER_BROKEN;
  }
  const secrets = secretEnvNames(op.manifest);
  const childEnv = childEnvironment(opts.env, opts.wrapperDir, secrets);

  let app: ManifestSource | undefined;
  const appFile = dirs.build ? join(dirs.build, 'bpx.yml') : undefined;
  const appNotices: string[] = [];
  // An app's bpx.yml is the app's input: whatever it is (a folder, a link, binary data, hostile YAML), the result is at
  // most a few notice lines and the app's extensions ignored, never a failed phase, and never its content in the log.
  const appKind = appFile ? appManifestKind(appFile, dirs.build) : 'absent';
  if (appKind !== 'absent' && !op.manifest.app?.allowExtensions) {
    appNotices.push("the app's bpx.yml is ignored: the operator does not allow app extensions (app.allowExtensions is not true)");
  } else if (appKind === 'file') {
    try {
      const r = await loadManifest(appFile!, { builtinNames, kind: 'app' });
      if (r.manifest) app = { manifest: r.manifest, dir: r.dir };
      else {
        const errs = r.errors.filter((e) => e.severity === 'error');
        for (const e of errs.slice(0, 10)) appNotices.push(oneLine(`app bpx.yml:${e.line}:${e.column}: ${e.path}: ${e.message}`));
        if (errs.length > 10) appNotices.push(`app bpx.yml: ... and ${errs.length - 10} more errors`);
        appNotices.push("the app's bpx.yml is invalid: its extensions are ignored");
      }
    } catch (err) {
      appNotices.push(oneLine(`the app's bpx.yml could not be read (${(err as Error)?.message ?? 'error'}): its extensions are ignored`));
    }
  } else if (appKind !== 'absent') {
    appNotices.push(`the app's bpx.yml ${appKind}: ignored`);
  }
  const merged = mergeManifests({ manifest: op.manifest, dir: op.dir }, app);
  const before = merged.byPoint.get(`${phase}:before` as Point) ?? [];
  const after = merged.byPoint.get(`${phase}:after` as Point) ?? [];
  const sFile = statePath(opts.tmpDir, dirs.build || opts.cwd);
  const loaded = await loadState(sFile);
  // saved again only when this phase changed it (most phases without extensions at hand change nothing)
  const stateBefore = JSON.stringify(loaded);
  // a phase at or before one already recorded begins a new staging of this build dir: nothing stale carries over
  const state = beginStep(loaded, phase, dirs.depsIdx);
  // install lines that the shims of earlier phases kept without Node
  await takeInstallLines(dirname(sFile), state, phase, dirs.depsIdx, startsAnew(loaded, phase, dirs.depsIdx));
  let exitCode = 1;
  // Refusals are said once per staging, in the first phase that runs bpx (later shims may skip Node altogether).
  const said = new Set(state.notices ?? []);
  for (const msg of [...appNotices, ...merged.refused]) {
    if (said.has(msg)) continue;
    bpxLog(msg);
    said.add(msg);
  }
  if (said.size) state.notices = [...said];
  let innerVersion: { text?: string } | undefined;
  const readInnerVersion = (): string | undefined => {
    if (!innerVersion) {
      try {
        innerVersion = { text: readFileSync(join(opts.wrapperDir, 'inner', 'VERSION'), 'utf8').trim() };
      } catch {
        innerVersion = {};
      }
    }
    return innerVersion.text;
  };
  const configNames: ConfigNames = new Map();
  let captured: Promise<Capture> | undefined;
  const capture = () =>
    (captured ??= captureDirs(dirs.build, phase === 'finalize' || phase === 'supply' ? dirs.deps : undefined).then((c) => {
      state.capture = c;
      return c;
    }));

  // builtin:detect-versions may replace the detect line: then the inner detect output is held back until it has run.
  let detectLine: string | undefined;
  // (when the shim ran detect, it held the output only when it kept a file of it: a hand-edited manifest could differ)
  const holdDetect =
    phase === 'detect' && after.some((e) => e.spec.uses !== undefined) && (!opts.innerRan || opts.innerRan.output !== undefined);
  const held: Buffer[] = [];
  const innerStdout = holdDetect
    ? ({ write: (chunk: Buffer) => held.push(Buffer.from(chunk)) } as unknown as NodeJS.WritableStream)
    : opts.stdout;

  const runAll = async (when: When, list: ResolvedExtension[]): Promise<number> => {
    const { runExtension } = list.length ? await import('../hooks/run-extension.ts') : { runExtension: undefined };
    for (const ext of list) {
      if (!runExtension) break;
      const name = ext.spec.name;
      const log = logAs(name);
      // what the operator's outputs look like before an app extension runs: it may add, never write there
      const guarded = ext.operator ? undefined : await outputsSnapshot(dirs);
      const context = buildContext({
        extension: name,
        phase,
        when,
        env: opts.env,
        dirs,
        buildpacks: await listBuildpacks(dirs, readInnerVersion(), configNames),
      });
      const outcome = await runExtension(ext, {
        context,
        childEnv,
        fullEnv: opts.env,
        bpxEnv: { BPX_PHASE: phase, BPX_WHEN: when, ...dirEnv(dirs) },
        state,
        builtins: opts.builtins,
        tmpDir: opts.tmpDir,
        graceMs: opts.graceMs ?? 5000,
        capture,
        log,
        buildpackDir: join(opts.wrapperDir, 'inner'),
        innerDetectOutput: holdDetect && when === 'after' ? Buffer.concat(held).toString('utf8') : undefined,
      });
      if (outcome.workMs !== undefined) opts.onExtensionTime?.({ extension: name, when, ms: outcome.workMs });
      if (guarded !== undefined) {
        const changed = await changedOutputs(dirs, guarded);
        if (changed) {
          bpxLog(
            `app extension '${name}' wrote into ${changed}, where the operator's SBOM and signature live: refused, the phase fails (an app extension may add files, never there)`,
          );
          return EXIT_EXTENSION_FAILED;
        }
      }
      applyResult(state, name, outcome.result, log);
      if (outcome.ok && outcome.result?.detectLine) detectLine = outcome.result.detectLine;
      if (!outcome.ok) {
        if (ext.onFailure === 'fail') {
          log(`FAILED (onFailure: fail): ${outcome.message}`);
          return EXIT_EXTENSION_FAILED;
        }
        log(`failed, continuing (onFailure: warn): ${outcome.message}`);
      }
    }
    return 0;
  };

  const onLine = quiet
    ? undefined
    : (line: string) => {
        const inst = parseInstallLine(line);
        if (inst && !state.installs.some((i) => i.name === inst.name && i.version === inst.version)) state.installs.push(inst);
      };
  try {
    const b = await runAll('before', before);
    if (b !== 0) return (exitCode = b);
    const code = opts.innerRan
      ? innerOutput(opts.innerRan.output, (text) => {
          if (holdDetect) held.push(text);
          else if (onLine) for (const line of text.toString('utf8').split('\n')) onLine(line);
        })
      : await runInner({
          script: innerScript,
          argv: opts.argv,
          env: childEnv,
          cwd: opts.cwd,
          stdout: innerStdout,
          stderr: opts.stderr,
          onLine,
        });
    // A failed inner script fails the phase as it is: after-extensions do not run on a half-built app.
    if (code !== 0) {
      for (const b of held) opts.stdout.write(b);
      return (exitCode = code);
    }
    const a = await runAll('after', after);
    if (holdDetect) {
      if (detectLine !== undefined && a === 0) {
        const { composeLine } = await import('../../detect/line.ts');
        // tags of extensions that ran after detect-versions join the line too (names already present keep their first value)
        opts.stdout.write(
          `${composeLine(
            detectLine,
            state.detect.map((d) => ({ name: d.name, value: d.value })),
          )}\n`,
        );
      } else for (const b of held) opts.stdout.write(b);
    }
    return (exitCode = a);
  } finally {
    const { capture: _capture, ...persisted } = state;
    // the last phase of the staging removes the state (hand-run shims leave nothing behind in TMPDIR)
    if (await stagingEnds({ phase, code: exitCode, wrapperDir: opts.wrapperDir, manifest: op.manifest, dirs }).catch(() => false)) {
      await removeState(sFile).catch((err) => bpxLog(`cannot remove staging state: ${(err as Error).message}`));
    } else if (JSON.stringify(persisted) !== stateBefore) {
      await saveState(sFile, state).catch((err) => bpxLog(`cannot save staging state: ${(err as Error).message}`));
    }
  }
}

/**
 * The inner script's exit code when the shim ran it (0): its kept stdout, if any, given to `take`, and the file removed.
 * This and appManifestKind work synchronously, as the staging state's reads do (src/lifecycle/state.ts).
 */
function innerOutput(file: string | undefined, take: (text: Buffer) => void): number {
  if (!file) return 0;
  let text: Buffer | undefined;
  try {
    text = readFileSync(file);
  } catch {
    text = undefined;
  }
  try {
    unlinkSync(file);
  } catch {
    // gone already: nothing to remove
  }
  if (text?.length) take(text);
  return 0;
}

/** 'file', 'absent', or why the app's bpx.yml is not read (a folder, a link out of the app, too big, not a file). */
function appManifestKind(file: string, buildDir: string): string {
  let st: Stats | undefined;
  try {
    st = lstatSync(file);
  } catch {
    return 'absent';
  }
  if (st.isSymbolicLink()) {
    let target: string;
    try {
      target = realpathSync(file);
    } catch {
      return 'is a link to nothing';
    }
    let root: string;
    try {
      root = realpathSync(buildDir);
    } catch {
      root = resolve(buildDir);
    }
    if (!target.startsWith(`${root}/`)) return 'is a link out of the app';
    try {
      st = statSync(target);
    } catch {
      return 'is a link to nothing';
    }
  }
  if (st.isDirectory()) return 'is a folder, not a file';
  if (!st.isFile()) return 'is not a regular file';
  if (st.size > 1024 * 1024) return `is ${st.size} bytes, more than a manifest may have`;
  return 'file';
}

/** A staging-log line: one line, no control characters, bounded. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return t.length > 300 ? `${t.slice(0, 297)}...` : t;
}

/** Where builtin:sbom writes (DESIGN.md §3): app/.bpx when last, deps/<idx>/bpx otherwise. */
function outputDirs(dirs: PhaseDirs): string[] {
  const out = dirs.build ? [join(dirs.build, '.bpx')] : [];
  if (dirs.deps && dirs.depsIdx !== undefined) out.push(join(dirs.deps, dirs.depsIdx, 'bpx'));
  return out;
}

/** Every entry below the output folders, with what a write changes (ctime cannot be set back by the writer). */
async function outputsSnapshot(dirs: PhaseDirs): Promise<Map<string, string>> {
  const { lstat, readdir } = await import('node:fs/promises');
  const snap = new Map<string, string>();
  const visit = async (p: string, depth: number): Promise<void> => {
    const st = await lstat(p, { bigint: true }).catch(() => undefined);
    if (!st) return;
    snap.set(p, `${st.mode}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`);
    if (st.isDirectory() && depth < 8 && snap.size < 10_000) {
      for (const n of (await readdir(p).catch(() => [] as string[])).sort()) await visit(join(p, n), depth + 1);
    }
  };
  for (const d of outputDirs(dirs)) await visit(d, 0);
  return snap;
}

/** The first output path an extension changed, relative to the staging dirs, or undefined. */
async function changedOutputs(dirs: PhaseDirs, before: Map<string, string>): Promise<string | undefined> {
  const after = await outputsSnapshot(dirs);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changed = keys.find((k) => before.get(k) !== after.get(k));
  if (changed === undefined) return undefined;
  const { relative } = await import('node:path');
  const deps = dirs.deps && changed.startsWith(`${dirs.deps}/`) ? `deps/${relative(dirs.deps, changed)}` : undefined;
  return deps ?? `app/${relative(dirs.build, changed)}`;
}

function applyResult(
  state: StagingState,
  name: string,
  result: import('../hooks/types.ts').HookResult | undefined,
  log: (l: string) => void,
): void {
  if (!result) return;
  for (const f of result.findings ?? []) {
    state.findings.push({ ...f, extension: name });
    log(`${f.severity}: ${f.message}${f.package ? ` (${f.package})` : ''}${f.id ? ` [${f.id}]` : ''}`);
  }
  for (const [k, v] of Object.entries(result.detect ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    state.detect = state.detect.filter((d) => !(d.name === k && d.extension === name));
    state.detect.push({ name: k, value: v, extension: name });
  }
  if (result.metadata) state.metadata = { ...state.metadata, [name]: result.metadata };
  if (result.verdict === 'warn' && result.message) log(`warning: ${result.message}`);
}

/**
 * BUILD_DIR and DEPS_DIR captured as one tree laid out as the droplet is (`app/…`, `deps/<idx>/…`), so that a lockfile
 * in app/ is reconciled with the installed tree the buildpack moved to deps/<idx>/node_modules (installed wins).
 */
async function captureDirs(build: string, deps: string | undefined): Promise<Capture> {
  const { captureMounts } = await import('../../catalog/capture.ts');
  await keepYoungGenerationSmall();
  const mounts = [{ prefix: 'app/', dir: build }];
  if (deps) mounts.push({ prefix: 'deps/', dir: deps });
  return captureMounts(mounts, { includeDev: false });
}
