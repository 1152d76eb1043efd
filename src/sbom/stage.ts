// builtin:sbom's work at staging: documents, subject digests taken last, signature, config.yml output_metadata.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigYmlError, editConfigYml } from '../platform/config-yml.ts';
import { APP_OUTPUT_DIR, DEPS_OUTPUT_DIR, outputLocation } from '../platform/droplet-layout.ts';
import { digestDirectory, type SubjectDigest } from '../droplet/digest.ts';
import type { Capture, Issue } from '../model/index.ts';
import { appFromVcap, parseSourceDateEpoch, readBuildpacks } from './facts.ts';
import { buildModel, type BuildpackFact } from './model.ts';
import { FILE_NAMES, writeOutputs, type Format } from './outputs.ts';
import type { Signer } from './sign/signer.ts';
import { TOOL } from './tool.ts';
import { writeFileAtomic } from '../fs/atomic-write.ts';
import { runtimesFromInstalls } from '../catalog/managers/runtimes/from-installs.ts';

export interface StageSbomInput {
  capture: Capture;
  phase: string;
  buildDir: string;
  depsDir?: string;
  depsIdx?: string;
  stack?: string;
  env: Readonly<Record<string, string | undefined>>;
  known: readonly BuildpackFact[];
  formats: readonly Format[];
  signer?: Signer;
  /**
   * `-----> Installing <name> <version>` lines of the inner buildpack: a runtime no file of which was captured is
   * added from them, marked as found by the log (src/catalog/managers/runtimes/from-installs.ts)
   */
  installs?: ReadonlyArray<{ name: string; version: string }>;
}

export interface StageSbomResult {
  /** droplet-relative folder, `app/.bpx` or `deps/<idx>/bpx` */
  location: string;
  files: string[];
  subjects: Array<{ name: string; sha256: string }>;
  issues: Issue[];
}

/** true when the wrapped buildpack runs last (finalize or compile): outputs go to app/.bpx and every subject is final. */
export function isLastPhase(phase: string): boolean {
  return phase === 'finalize' || phase === 'compile';
}

/** Adds the output paths to deps/<idx>/config.yml output_metadata, keeping everything else (and never writing `key`). */
async function recordOutputMetadata(configFile: string, entries: Record<string, string>): Promise<Issue | null> {
  let text: string;
  try {
    text = await readFile(configFile, 'utf8');
  } catch {
    return null; // no config.yml (compile-only buildpack): nothing to record
  }
  let next: string;
  try {
    next = editConfigYml(text, { outputMetadata: entries });
  } catch (e) {
    if (e instanceof ConfigYmlError)
      return { path: configFile, severity: 'warning', message: `${e.message}: output_metadata not recorded` };
    throw e;
  }
  await writeFileAtomic(configFile, next);
  return null;
}

export async function stageSbom(input: StageSbomInput): Promise<StageSbomResult> {
  const issues: Issue[] = [];
  const last = isLastPhase(input.phase);
  if (!last && (!input.depsDir || input.depsIdx === undefined))
    throw new Error('builtin:sbom before the last phase needs DEPS_DIR and DEPS_IDX');
  const location = outputLocation(last, input.depsIdx);
  const outDir = last
    ? path.join(input.buildDir, APP_OUTPUT_DIR)
    : path.join(input.depsDir as string, input.depsIdx as string, DEPS_OUTPUT_DIR);

  const vcap = appFromVcap(input.env.VCAP_APPLICATION);
  const bps = await readBuildpacks(input.depsDir, input.known);
  issues.push(...vcap.issues, ...bps.issues);
  const logged = input.installs?.length ? runtimesFromInstalls(input.installs, input.capture.components) : [];
  const capture = logged.length ? { ...input.capture, components: [...input.capture.components, ...logged] } : input.capture;
  const model = buildModel(capture, {
    app: vcap.app,
    stack: input.stack ?? input.env.CF_STACK,
    buildpacks: bps.buildpacks,
    tool: TOOL,
    epoch: parseSourceDateEpoch(input.env.SOURCE_DATE_EPOCH),
  });

  if (input.depsDir && input.depsIdx !== undefined) {
    const meta: Record<string, string> = {};
    for (const f of input.formats) meta[`bpx_sbom_${f}`] = `${location}/${FILE_NAMES[f]}`;
    if (input.signer) meta.bpx_sbom_attestation = `${location}/${FILE_NAMES.attestation}`;
    const issue = await recordOutputMetadata(path.join(input.depsDir, input.depsIdx, 'config.yml'), meta);
    if (issue) issues.push(issue);
  }

  // Digests come last, when nothing but bpx's own (excluded) files will change.
  let subjects: SubjectDigest[] | undefined;
  if (input.signer) {
    subjects = [];
    const roots: Array<[string, string]> = [];
    if (last) {
      roots.push(['app', input.buildDir]);
      if (input.depsDir) {
        for (const d of await readdir(input.depsDir, { withFileTypes: true }).catch(() => [])) {
          if (d.isDirectory()) roots.push([`deps/${d.name}`, path.join(input.depsDir, d.name)]);
        }
      }
    } else roots.push([`deps/${input.depsIdx}`, path.join(input.depsDir as string, input.depsIdx as string)]);
    for (const [name, dir] of roots) {
      const { issues: di, ...s } = await digestDirectory(dir, name);
      issues.push(...di);
      subjects.push(s);
    }
  }
  const files = await writeOutputs({ outDir, model, formats: input.formats, subjects, signer: input.signer });
  return {
    location,
    files: files.map((f) => `${location}/${f}`),
    subjects: (subjects ?? []).map((s) => ({ name: s.name, sha256: s.sha256 })),
    issues,
  };
}
