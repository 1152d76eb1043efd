// Builds the HookContext (schemas/hook-context.schema.json) from the builder's environment and directories.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildpackInfo, HookContext, Phase, When } from './types.ts';
import type { PhaseDirs } from '../phases/args.ts';
import { readVcapApplication } from '../../platform/vcap.ts';

/** VCAP_APPLICATION → app name and ids; a malformed value gives an empty app rather than a failure. */
export function appFromVcap(vcap: string | undefined): HookContext['app'] {
  const { version: _version, ...app } = readVcapApplication(vcap).app;
  return app;
}

/** config.yml text → its name and version: a phase reads the files again for each extension, parses each text once. */
export type ConfigNames = Map<string, { name?: string; version?: string }>;

/**
 * The buildpacks seen so far: each deps/<idx>/config.yml (name, version), and this wrapped one. Read anew for every
 * extension (one may rename a buildpack, as detect-versions does); `parsed` spares the YAML parse of a text already seen.
 */
export async function listBuildpacks(
  dirs: PhaseDirs,
  innerVersion: string | undefined,
  parsed: ConfigNames = new Map(),
): Promise<BuildpackInfo[]> {
  const out: BuildpackInfo[] = [];
  if (dirs.deps) {
    let names: string[] = [];
    try {
      names = (await readdir(dirs.deps)).filter((n) => /^[0-9]+$/.test(n)).sort();
    } catch {
      names = [];
    }
    for (const idx of names) {
      const info: BuildpackInfo = { index: idx };
      // no config.yml yet (this buildpack's supply has not written it): keep the index only
      const text = await readFile(join(dirs.deps, idx, 'config.yml'), 'utf8').catch(() => undefined);
      if (text !== undefined) {
        let meta = parsed.get(text);
        if (!meta) {
          const { parseBuildpackMetadata } = await import('../../platform/config-yml.ts');
          const { name, version } = parseBuildpackMetadata('', text, { outputMetadata: false });
          parsed.set(text, (meta = { name, version }));
        }
        if (meta.name) info.name = meta.name;
        if (meta.version) info.version = meta.version;
      }
      if (idx === dirs.depsIdx) info.wrapped = true;
      out.push(info);
    }
  }
  if (!out.some((b) => b.wrapped)) out.push({ wrapped: true, ...(dirs.depsIdx ? { index: dirs.depsIdx } : {}) });
  const self = out.find((b) => b.wrapped)!;
  if (innerVersion && !self.version) self.version = innerVersion;
  return out;
}

export function buildContext(args: {
  extension: string;
  phase: Phase;
  when: When;
  env: Readonly<Record<string, string | undefined>>;
  dirs: PhaseDirs;
  buildpacks: BuildpackInfo[];
}): HookContext {
  const ctx: HookContext = {
    version: 1,
    extension: args.extension,
    phase: args.phase,
    when: args.when,
    app: appFromVcap(args.env.VCAP_APPLICATION),
    buildpacks: args.buildpacks,
    dirs: args.dirs,
  };
  if (args.env.CF_STACK) ctx.stack = args.env.CF_STACK;
  return ctx;
}
