// Builds a wrapped buildpack (issue 2 §6): inner buildpack untouched under inner/, shims for exactly its bin/ scripts, bpx + Node, the manifest.
import { constants as fsc } from 'node:fs';
import { chmod, copyFile, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { loadManifest } from '../manifest/load.ts';
import { COMPILED_NAME, compileManifest } from '../manifest/compiled.ts';
import type { ManifestError } from '../manifest/types.ts';
import { PHASES, type Phase } from '../lifecycle/hooks/types.ts';
import { manifestReferences } from './references.ts';
import { renderShim } from './shim.ts';
import { extractZip } from './zip-extract.ts';
import { writeZipFromDir } from './zip-write.ts';

export interface WrapOptions {
  /** inner buildpack: a directory or a .zip */
  inner: string;
  /** operator manifest (bpx.yml) */
  manifest: string;
  /** output: a path ending in .zip writes a zip, anything else a directory */
  out: string;
  /** the bundled CLI (dist/bpx.mjs) */
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
}

export class WrapError extends Error {
  constructor(message: string, readonly manifestErrors: ManifestError[] = []) {
    super(message);
    this.name = 'WrapError';
  }
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
  await checkOutput(out, opts.force ?? false);

  // Everything is built in a temp dir and renamed into place at the end: no half-written output.
  const work = await mkdtemp(join(asZip ? opts.tmpDir : dirname(out), '.bpx-wrap-'));
  try {
    const tree = join(work, 'tree');
    await mkdir(tree);
    const innerDst = join(tree, 'inner');
    if (innerStat.isDirectory()) {
      await cp(resolve(opts.inner), innerDst, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    } else {
      const ex = join(work, 'extract');
      await mkdir(ex);
      await extractZip(opts.inner, ex);
      await rename(await buildpackRoot(ex), innerDst);
    }
    const phases: Phase[] = [];
    for (const p of PHASES) {
      const s = await stat(join(innerDst, 'bin', p)).catch(() => undefined);
      if (s?.isFile()) phases.push(p);
    }
    if (!phases.length) throw new WrapError(`${opts.inner}: not a buildpack (no bin/detect, supply, finalize, compile or release)`);

    const at = new Set(manifest.extensions?.flatMap((e) => e.at) ?? []);
    // `-----> Installing` lines are recorded in supply/finalize/compile for later extensions, so those phases
    // go through bpx whenever any extension runs after detect.
    const anyAfterDetect = [...at].some((p) => !p.startsWith('detect:'));
    // the phase runtime (a small entry plus lazily loaded chunks), when the same build made it (never a stale leftover)
    const phaseDir = join(dirname(opts.bundle), 'phase');
    const [pb, mb] = await Promise.all([stat(join(phaseDir, 'bpx-phase.mjs')).catch(() => undefined), stat(opts.bundle)]);
    const entry = pb?.isFile() && pb.mtimeMs >= mb.mtimeMs - 10_000 ? 'phase/bpx-phase.mjs' : 'bpx.mjs';
    const appAt = new Set(manifest.app?.allowExtensions ? (manifest.app.allowedAt ?? []) : []);
    const fastPath: Phase[] = [];
    await mkdir(join(tree, 'bin'));
    for (const p of phases) {
      const operator = at.has(`${p}:before`) || at.has(`${p}:after`) || (anyAfterDetect && (p === 'supply' || p === 'finalize' || p === 'compile'));
      const app = appAt.has(`${p}:before`) || appAt.has(`${p}:after`);
      if (!operator) fastPath.push(p);
      const file = join(tree, 'bin', p);
      await writeFile(file, renderShim(p, operator, app, entry), { mode: 0o755 });
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
    for (const rel of refs.paths) {
      const dst = join(bpxDir, ...rel.split('/'));
      await mkdir(dirname(dst), { recursive: true });
      await cp(join(m.dir, ...rel.split('/')), dst, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
    }

    const rt = join(tree, 'runtime');
    await mkdir(rt);
    await copyFile(opts.bundle, join(rt, 'bpx.mjs'));
    await chmod(join(rt, 'bpx.mjs'), 0o644);
    if (entry !== 'bpx.mjs') await cp(phaseDir, join(rt, 'phase'), { recursive: true });
    const legal = `${opts.bundle}.LEGAL.txt`;
    if (await stat(legal).then((s) => s.isFile(), () => false)) await copyFile(legal, join(rt, 'bpx.mjs.LEGAL.txt'));
    await copyFile(opts.node, join(rt, 'node'), fsc.COPYFILE_FICLONE);
    await chmod(join(rt, 'node'), 0o755);

    if (asZip) {
      const tmpZip = join(dirname(out), `.${basename(out)}.${process.pid}.tmp`);
      try {
        await writeZipFromDir(tree, tmpZip);
        await replace(tmpZip, out);
      } finally {
        await rm(tmpZip, { force: true });
      }
    } else {
      await replace(tree, out);
    }
    return { out, phases, fastPath, references: refs.paths };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** An existing output is replaced only when it is an empty directory, or with force. */
async function checkOutput(out: string, force: boolean): Promise<void> {
  const s = await stat(out).catch(() => undefined);
  if (!s || force) return;
  if (s.isDirectory() && (await readdir(out)).length === 0) return;
  throw new WrapError(`${out} already exists (use --force to replace it)`);
}

async function replace(from: string, to: string): Promise<void> {
  await rm(to, { recursive: true, force: true });
  await rename(from, to);
}

/** As CF does: a zip whose entries all sit in one top folder is unwrapped one level. */
async function buildpackRoot(dir: string): Promise<string> {
  const names = await readdir(dir);
  if (names.length === 1 && names[0] !== 'bin') {
    const only = join(dir, names[0]);
    if ((await stat(only)).isDirectory()) return only;
  }
  return dir;
}
