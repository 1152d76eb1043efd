// Builds the HookContext (schemas/hook-context.schema.json) from the builder's environment and directories.
import { readdirSync, readFileSync } from 'node:fs';
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
 * Read synchronously, as the staging state is (src/lifecycle/state.ts): small files, nothing else waiting.
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
      names = readdirSync(dirs.deps)
        .filter((n) => /^[0-9]+$/.test(n))
        .sort();
    } catch {
      names = [];
    }
    for (const idx of names) {
      const info: BuildpackInfo = { index: idx };
      // no config.yml yet (this buildpack's supply has not written it): keep the index only
      let text: string | undefined;
      try {
        text = readFileSync(join(dirs.deps, idx, 'config.yml'), 'utf8');
      } catch {
        text = undefined;
      }
      if (text !== undefined) {
        let meta = parsed.get(text) ?? plainNameVersion(text);
        if (!meta) {
          const { parseBuildpackMetadata } = await import('../../platform/config-yml.ts');
          const { name, version } = parseBuildpackMetadata('', text, { outputMetadata: false });
          meta = { name, version };
        }
        parsed.set(text, meta);
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

/** A top-level `key: value` line of config.yml whose value is one plain word (`name: nodejs`, `config: {}`) or nothing. */
const TOP_LINE = /^([A-Za-z_][A-Za-z0-9_]*):(?: ([A-Za-z0-9_./][A-Za-z0-9_.+/=@-]*|\{\}|\[\]))?$/;
/** A line of a nested block (`  entrypoint_prefix: foo`): one key, at most one plain word. */
const NESTED_LINE = /^( {2,})([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: [A-Za-z0-9_./][A-Za-z0-9_.+/=@-]*)?$/;

/**
 * `name` and `version` of config.yml as the builder reads them (parseBuildpackMetadata: YAML, scalars as written),
 * without loading a YAML parser, for the file libbuildpack writes (`name: nodejs\nversion: 1.9.4\nconfig: {}`): every
 * line a top-level key with one plain word or none, or a nested `key: word` line under a key without a value, each key
 * once. Anything else (quotes, flow, comments, lists, continuation lines, tabs) gives undefined: the YAML parser decides.
 */
export function plainNameVersion(text: string): { name?: string; version?: string } | undefined {
  const seen = new Map<string, string | undefined>();
  // the nested block under the last key without a value: its indent and keys (one indent, each key once)
  let block: { indent?: string; keys: Set<string> } | undefined;
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith(' ')) {
      const n = NESTED_LINE.exec(line);
      if (!block || !n || (block.indent ?? n[1]) !== n[1] || block.keys.has(n[2])) return undefined;
      block.indent = n[1];
      block.keys.add(n[2]);
      continue;
    }
    const m = TOP_LINE.exec(line);
    if (!m || seen.has(m[1])) return undefined;
    seen.set(m[1], m[2]);
    // a key without a value opens a nested block (but `name:` or `version:` then are no plain words: YAML decides)
    block = m[2] === undefined ? { keys: new Set() } : undefined;
    if (block && (m[1] === 'name' || m[1] === 'version')) return undefined;
  }
  const name = seen.get('name');
  const version = seen.get('version');
  // `{}`/`[]` are a map and a list, not the strings the builder takes
  if ([name, version].some((v) => v === '{}' || v === '[]')) return undefined;
  return { ...(name ? { name } : {}), ...(version ? { version } : {}) };
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
