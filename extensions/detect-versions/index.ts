// builtin:detect-versions — the enriched detect line (`nodejs-buildpack=v1.9.4 node=22.23.1 ...`) at detect, and the same
// line from what was really installed written as `name` in the final buildpack's deps/<idx>/config.yml.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigYmlError, editConfigYml, outputMetadataProblem, parseBuildpackMetadata } from '../../src/platform/config-yml.ts';
import { writeFileAtomic } from '../../src/fs/atomic-write.ts';
import type { BuiltinContext, BuiltinExtension, HookResult } from '../../src/lifecycle/hooks/types.ts';
import { composeLine, uniqueTags, type Tag } from '../../src/detect/line.ts';
import { finalDetectTags, predictDetectTags } from '../../src/detect/predict.ts';

/** Extension tags (results' `detect`) in manifest order, operator first, after this built-in's own. */
function extensionTags(ctx: BuiltinContext): Tag[] {
  return ctx.state.detect.map((d) => ({ name: d.name, value: d.value }));
}

/**
 * Sets `name` and the flat `output_metadata.bpx_detect` (the tags, a list of strings) in config.yml, keeping every
 * other key (never `key`); atomic write. Nothing nested: the current CF builder fails the staging on a nested map.
 * Returns a note when the inner buildpack's own output_metadata is something the builder cannot serialise.
 */
async function writeConfigName(
  configPath: string,
  text: string | undefined,
  line: string,
  tags: Tag[],
  ownName: string | undefined,
): Promise<{ written: boolean; note?: string }> {
  // the inner buildpack wrote no config.yml: the builder falls back to detect output, so leave it so
  if (text === undefined) return { written: false };
  let next: string;
  try {
    // the buildpack's own name beside the line that replaces it: the SBOM names the buildpack by it (src/sbom/facts.ts)
    const outputMetadata: Record<string, string | string[]> = { bpx_detect: tags.map((t) => `${t.name}=${t.value}`) };
    if (ownName) outputMetadata.bpx_buildpack_name = ownName;
    next = editConfigYml(text, { name: line, outputMetadata });
  } catch (e) {
    if (e instanceof ConfigYmlError) throw new Error(`${configPath}: ${e.message}; left unchanged`);
    throw e;
  }
  await writeFileAtomic(configPath, next);
  const problem = outputMetadataProblem(parseBuildpackMetadata('', next, { outputMetadata: true }).output_metadata);
  const note = problem
    ? `the inner buildpack's config.yml output_metadata.${problem.key} is nested: Cloud Foundry's current builder fails staging on it (${problem.message})`
    : undefined;
  return { written: true, note };
}

const detectVersions: BuiltinExtension = {
  name: 'detect-versions',
  description: 'Enriched detect output: buildpack, runtime, package manager and framework versions',
  async run(ctx: BuiltinContext): Promise<HookResult> {
    const { hook } = ctx;
    const buildpackDir = ctx.buildpack?.dir;
    if (!buildpackDir) throw new Error('the wrapped buildpack folder is unknown; detect-versions needs it');
    let capture;
    try {
      capture = await ctx.capture();
    } catch (err) {
      ctx.log(`capture failed, dependencies left out: ${(err as Error).message}`);
    }
    if (hook.phase === 'detect') {
      const { head, tags } = await predictDetectTags({
        appDir: hook.dirs.build,
        buildpackDir,
        stack: hook.stack,
        capture,
        buildpackName: ctx.buildpack?.detectOutput,
      });
      const line = composeLine(head, [...tags, ...extensionTags(ctx)]);
      ctx.log(`detect line: ${line}`);
      return { detectLine: line, metadata: { detect: line } };
    }
    if (hook.phase !== 'finalize' && hook.phase !== 'compile') {
      ctx.log(`nothing to do at ${hook.phase}:${hook.when} (declare it at detect:after and finalize:after)`);
      return {};
    }
    const configPath =
      hook.dirs.deps && hook.dirs.depsIdx !== undefined ? join(hook.dirs.deps, hook.dirs.depsIdx, 'config.yml') : undefined;
    // read once: the name it holds now, and the text the new name is written into
    const configText = configPath ? await readFile(configPath, 'utf8').catch(() => undefined) : undefined;
    const own = configPath ? parseBuildpackMetadata('', configText, { outputMetadata: true }) : undefined;
    // a second run reads the line it wrote: the name it replaced is kept beside it
    const recorded = own?.output_metadata?.['bpx_buildpack_name'];
    const ownName = typeof recorded === 'string' && recorded ? recorded : (own?.name ?? '');
    const { head, tags } = await finalDetectTags({
      appDir: hook.dirs.build,
      buildpackDir,
      stack: hook.stack,
      capture,
      installs: ctx.state.installs,
      buildpackName: ownName || undefined,
    });
    // each name once, first wins: the tags recorded in config.yml are the ones the line shows
    const all = uniqueTags([...tags, ...extensionTags(ctx)]);
    const line = composeLine(head, all);
    if (hook.phase === 'compile' || !hook.dirs.deps || hook.dirs.depsIdx === undefined) {
      // The builder never reads config.yml of a compile-only buildpack: the detect line is what `cf app` shows.
      ctx.log(`installed: ${line} (compile-only buildpack: cf app shows the detect line)`);
      return { metadata: { detect: line } };
    }
    const { written, note } = await writeConfigName(configPath!, configText, line, all, ownName || undefined);
    ctx.log(written ? `config.yml name: ${line}` : `no config.yml from the buildpack: name left as is (${line})`);
    if (note) ctx.log(`warning: ${note}`);
    return { metadata: { detect: line } };
  },
};

export default detectVersions;
