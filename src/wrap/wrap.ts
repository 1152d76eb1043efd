// Builds a wrapped buildpack: inner buildpack untouched under inner/, shims for exactly its bin/ scripts, bpx + Node, the manifest.
import { constants as fsc } from 'node:fs';
import { chmod, copyFile, cp, mkdir, mkdtemp, readdir, readFile, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeAtomic } from '../fs/atomic-write.ts';
import { exists } from '../fs/exists.ts';
import { BuildpackRootError, buildpackRoot } from '../platform/buildpack-root.ts';
import { describeFsError, isFsError } from '../platform/fs-error.ts';
import { extractZip } from '../platform/zip-extract.ts';
import { loadManifest } from '../manifest/load.ts';
import { secretEnvNames } from '../manifest/merge.ts';
import { COMPILED_NAME, compileManifest } from '../manifest/compiled.ts';
import type { Manifest } from '../manifest/types.ts';
import { PHASES, type Phase } from '../platform/phases.ts';
import { manifestReferences } from './references.ts';
import { innerFirstAt, operatorExtendsAt, recordsAt, renderShim } from './shim.ts';
import { CLI_CHUNKS, CLI_ENTRY, PHASE_BOOT, PHASE_DIR } from './runtime-layout.ts';
import { copyDereferenced, ShipError } from './copy-dereferenced.ts';
import { checkNode } from './check-node.ts';
import { type CodeCache, writePhaseCodeCache } from './code-cache.ts';
import { checkOutputPlace } from './output-place.ts';
import { WrapError } from './wrap-error.ts';
import { BUILD_INFO_FILE } from '../sbom/buildpack-build.ts';
import { describeInner } from './describe-inner.ts';
import { writeZipFromDir } from './zip-write.ts';

export { WrapError } from './wrap-error.ts';

export interface WrapOptions {
  /** inner buildpack: a directory or a .zip */
  inner: string;
  /** operator manifest (bpx.yml) */
  manifest: string;
  /** output: a path ending in .zip writes a zip, anything else a directory */
  out: string;
  /** the bundled CLI (dist/bpx.cjs) */
  bundle: string;
  /** Node binary copied into the wrapper */
  node: string;
  builtinNames: readonly string[];
  /** replace a non-empty existing output */
  force?: boolean;
  tmpDir: string;
}

export interface WrapResult {
  out: string;
  /** bin/ scripts of the inner buildpack (= the shims written) */
  phases: Phase[];
  /** phases whose shim skips Node unless the app brings a bpx.yml (or always, when apps may not add extensions there) */
  fastPath: Phase[];
  /** files shipped from beside the manifest */
  references: string[];
  /** Windows scripts of the inner (bin/*.bat, *.cmd, *.exe, *.ps1): kept under inner/, but no shim runs them */
  windowsScripts: string[];
  /** the phase runtime's V8 code cache: its size, or why there is none (absent when no phase runs a built-in) */
  codeCache?: CodeCache;
}

export async function wrapBuildpack(opts: WrapOptions): Promise<WrapResult> {
  const out = resolve(opts.out);
  const asZip = out.endsWith('.zip');
  const m = await loadManifest(opts.manifest, { builtinNames: opts.builtinNames, kind: 'operator' });
  if (!m.manifest) throw new WrapError(`${opts.manifest}: invalid manifest`, m.errors);
  const manifest = m.manifest;
  const refs = await manifestReferences(manifest, m.dir);
  if (refs.outside.length) {
    const list = refs.outside.map((o) => `${o.extension}: ${o.value}`).join(', ');
    throw new WrapError(`${opts.manifest}: referenced files must sit in the manifest's directory or below it (${list})`);
  }
  const innerStat = await stat(opts.inner).catch(() => undefined);
  if (!innerStat) throw new WrapError(`${opts.inner}: not found`);
  await checkNode(opts.node);
  // --force deletes the output: never when it is, or holds, something this wrap reads
  await checkOutputPlace(out, [
    { path: opts.inner, what: 'the inner buildpack', copied: true },
    { path: m.dir, what: "the manifest's folder" },
    { path: opts.manifest, what: 'the manifest' },
    ...refs.paths.map((rel) => ({ path: join(m.dir, ...rel.split('/')), what: 'a file the manifest references', copied: true })),
    { path: opts.node, what: 'the Node binary' },
    { path: opts.bundle, what: 'the bpx bundle' },
  ]);
  await checkOutput(out, opts.force ?? false);

  const parent = dirname(out);
  // parents are created as `stage --out` and `keygen` do, and removed again when the wrap fails
  const madeParent = await mkdir(parent, { recursive: true }).catch((err: unknown) => {
    // EEXIST: the parent (or one above it) is a file
    const why = (err as NodeJS.ErrnoException).code === 'EEXIST' ? 'not a directory' : describeFsError(err);
    throw new WrapError(`${parent}: cannot create the output's folder: ${why}`);
  });
  // Everything is built in a temp dir and renamed into place at the end: no half-written output.
  const work = await mkdtemp(join(asZip ? opts.tmpDir : parent, '.bpx-wrap-')).catch(async (err: unknown) => {
    if (madeParent) await rm(madeParent, { recursive: true, force: true });
    throw new WrapError(`${asZip ? opts.tmpDir : parent}: cannot write: ${describeFsError(err)}`);
  });
  // internal names never reach a message: a path in the temp tree is shown as where it would have landed
  // (build adds the output's temp name beside it first)
  const names: Array<[string, string]> = [
    [join(work, 'tree'), out],
    [join(work, 'extract'), opts.inner],
    [work, asZip ? out : parent],
  ];
  const shown = (text: string) => names.reduce((t, [from, to]) => t.split(from).join(to), text);
  let done = false;
  try {
    const r = await build(opts, {
      out,
      asZip,
      work,
      manifest,
      manifestDir: m.dir,
      references: refs.paths,
      innerIsDir: innerStat.isDirectory(),
      names,
    });
    done = true;
    return r;
  } catch (err) {
    if (err instanceof WrapError || !(err instanceof Error)) throw err;
    if (isFsError(err)) {
      const dest = (err as { dest?: string }).dest;
      const where = err.path ? `${shown(err.path)}${dest ? ` -> ${shown(dest)}` : ''}` : out;
      throw new WrapError(`${where}: ${describeFsError(err)}`);
    }
    err.message = shown(err.message);
    throw err;
  } finally {
    await rm(work, { recursive: true, force: true });
    if (!done && madeParent) await rm(madeParent, { recursive: true, force: true });
  }
}

interface BuildPlan {
  out: string;
  asZip: boolean;
  work: string;
  manifest: Manifest;
  manifestDir: string;
  references: string[];
  innerIsDir: boolean;
  /** internal path → the path a message shows: build adds the output's temp name */
  names: Array<[string, string]>;
}

const WINDOWS_SCRIPT = /\.(bat|cmd|exe|ps1)$/i;

/**
 * The output, written atomically (src/fs/atomic-write.ts): a folder is built in a temp folder beside it; a zip is
 * made from a tree built in `work` (which may be on another file system) into a temp file beside it. Either is then
 * renamed over the output.
 */
async function build(opts: WrapOptions, plan: BuildPlan): Promise<WrapResult> {
  const out = plan.out;
  const besideOut = { replaceFolder: true };
  const fill = async (tmp: string) => {
    plan.names.unshift([tmp, out]);
    if (!plan.asZip) return fillTree(opts, plan, tmp);
    const tree = join(plan.work, 'tree');
    const r = await fillTree(opts, plan, tree);
    await writeZipFromDir(tree, tmp);
    return r;
  };
  return { out, ...(await writeAtomic(out, fill, besideOut)) };
}

async function fillTree(opts: WrapOptions, plan: BuildPlan, tree: string): Promise<Omit<WrapResult, 'out'>> {
  const { manifest } = plan;
  await mkdir(tree);
  const innerDst = join(tree, 'inner');
  // the folder with bin/ by the builder's own rule (runner.go buildpackPath), for folders and zips alike
  const rootOf = async (dir: string) => {
    try {
      return await buildpackRoot(dir, opts.inner);
    } catch (err) {
      if (err instanceof BuildpackRootError) throw new WrapError(`${opts.inner}: not a buildpack (no bin/ in it, nor in its only folder)`);
      throw err;
    }
  };
  // the folders the inner buildpack was copied from (a git checkout among them gives bpx/buildpack.json its commit)
  const sources: string[] = [];
  if (plan.innerIsDir) {
    const root = await realpath(await rootOf(resolve(opts.inner)));
    await cp(root, innerDst, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    sources.push(root, resolve(opts.inner));
  } else {
    const ex = join(plan.work, 'extract');
    await mkdir(ex);
    await extractZip(opts.inner, ex);
    await rename(await rootOf(ex), innerDst);
  }
  // the builder decides from which bin/ scripts exist (os.Stat: links followed), so the shims are exactly those
  const phases: Phase[] = [];
  for (const p of PHASES) {
    if (await exists(join(innerDst, 'bin', p))) phases.push(p);
  }
  if (!phases.length) throw new WrapError(`${opts.inner}: not a buildpack (no bin/detect, supply, finalize, compile or release)`);
  const windowsScripts = (await readdir(join(innerDst, 'bin')).catch(() => [] as string[]))
    .filter((n) => WINDOWS_SCRIPT.test(n))
    .sort()
    .map((n) => `bin/${n}`);

  const at = new Set(manifest.extensions?.flatMap((e) => e.at) ?? []);
  // the phase runtime (runtime-layout.ts), when the same build made it (never a stale leftover)
  const phaseDir = join(dirname(opts.bundle), PHASE_DIR);
  const [bb, mb] = await Promise.all([stat(join(dirname(opts.bundle), PHASE_BOOT)).catch(() => undefined), stat(opts.bundle)]);
  const entry = bb?.isFile() && bb.mtimeMs >= mb.mtimeMs - 10_000 ? PHASE_BOOT : CLI_ENTRY;
  const appAt = new Set(manifest.app?.allowExtensions ? (manifest.app.allowedAt ?? []) : []);
  const fastPath: Phase[] = [];
  // the shims' no-Node path strips these from the inner script's environment, as the phase runtime does
  const secrets = secretEnvNames(manifest);
  await mkdir(join(tree, 'bin'));
  // a later phase that starts bpx keeps the staging state alive after finalize/compile (stagingEnds, in sh)
  const release = phases.includes('release');
  const recording = {
    later: release && operatorExtendsAt('release', at),
    laterWithApp: release && (appAt.has('release:before') || appAt.has('release:after')),
  };
  for (const p of phases) {
    const operator = operatorExtendsAt(p, at);
    const app = appAt.has(`${p}:before`) || appAt.has(`${p}:after`);
    if (!operator) fastPath.push(p);
    const file = join(tree, 'bin', p);
    await writeFile(
      file,
      renderShim(p, operator, app, entry, recordsAt(p, at) ? recording : undefined, secrets, innerFirstAt(p, manifest)),
      { mode: 0o755 },
    );
    await chmod(file, 0o755);
  }

  // CF tools read VERSION and manifest.yml at the buildpack root.
  for (const f of ['VERSION', 'manifest.yml']) {
    const s = await stat(join(innerDst, f)).catch(() => undefined);
    if (s?.isFile()) await copyFile(join(innerDst, f), join(tree, f));
  }

  const bpxDir = join(tree, 'bpx');
  await mkdir(bpxDir);
  const yml = await readFile(opts.manifest);
  await writeFile(join(bpxDir, 'bpx.yml'), yml, { mode: 0o644 });
  await writeFile(join(bpxDir, COMPILED_NAME), compileManifest(yml, manifest), { mode: 0o644 });
  // the inner buildpack's name, version, content digest and commit, for the SBOM (src/sbom/buildpack-build.ts)
  await writeFile(join(bpxDir, BUILD_INFO_FILE), `${JSON.stringify(await describeInner(innerDst, sources), null, 2)}\n`, { mode: 0o644 });
  for (const rel of plan.references) {
    const dst = join(bpxDir, ...rel.split('/'));
    await mkdir(dirname(dst), { recursive: true });
    // a link is shipped as what it points to: an absolute or outside link would dangle in the wrapper
    // (bpx validate and the load above refuse what cannot be shipped; this catches a file changed since)
    await copyDereferenced(join(plan.manifestDir, ...rel.split('/')), dst, rel).catch((err: unknown) => {
      throw new WrapError(`${opts.manifest}: cannot ship ${err instanceof ShipError ? err.message : `${rel}: ${describeFsError(err)}`}`);
    });
  }

  const rt = join(tree, 'runtime');
  await mkdir(rt);
  await copyFile(opts.bundle, join(rt, CLI_ENTRY));
  await chmod(join(rt, CLI_ENTRY), 0o644);
  // the chunks the entry loads (a bundle built before the CLI was split has none)
  const chunks = await cliChunks(opts.bundle);
  if (chunks.length) await mkdir(join(rt, CLI_CHUNKS));
  for (const c of chunks) await copyFile(join(dirname(opts.bundle), CLI_CHUNKS, c), join(rt, CLI_CHUNKS, c));
  if (entry !== CLI_ENTRY) await cp(phaseDir, join(rt, PHASE_DIR), { recursive: true });
  const legal = `${opts.bundle}.LEGAL.txt`;
  if (
    await stat(legal).then(
      (s) => s.isFile(),
      () => false,
    )
  )
    await copyFile(legal, join(rt, 'bpx.cjs.LEGAL.txt'));
  await copyFile(opts.node, join(rt, 'node'), fsc.COPYFILE_FICLONE);
  await chmod(join(rt, 'node'), 0o755);
  // the phase runtime's code caches, made by the Node just shipped (a runtime without them runs the same, only slower)
  // (none when no shim can start Node: no operator extension, and none an app may add)
  const startsNode = fastPath.length < phases.length || appAt.size > 0;
  const codeCache = entry === PHASE_BOOT && startsNode ? await writePhaseCodeCache(rt) : undefined;

  return { phases, fastPath, references: plan.references, windowsScripts, ...(codeCache ? { codeCache } : {}) };
}

/**
 * The chunks of the CLI entry (`import"./cli/chunk-X.mjs"`, and theirs: `import("./chunk-Y.mjs")`), followed from the
 * entry: exactly what it can load, never the leftovers of an earlier build that the build folder keeps a while.
 */
async function cliChunks(entry: string): Promise<string[]> {
  const dir = join(dirname(entry), CLI_CHUNKS);
  const found = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const text = await readFile(todo.pop() as string, 'utf8');
    for (const m of text.matchAll(/["']\.\/(?:cli\/)?(chunk-[A-Za-z0-9]+\.mjs)["']/g)) {
      if (found.has(m[1])) continue;
      found.add(m[1]);
      todo.push(join(dir, m[1]));
    }
  }
  return [...found].sort();
}

/** An existing output is replaced only when it is an empty directory, or with force. */
async function checkOutput(out: string, force: boolean): Promise<void> {
  const s = await stat(out).catch(() => undefined);
  if (!s || force) return;
  if (s.isDirectory() && (await readdir(out)).length === 0) return;
  throw new WrapError(`${out} already exists (use --force to replace it)`);
}
