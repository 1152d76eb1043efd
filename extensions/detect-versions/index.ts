// builtin:detect-versions — the enriched detect line (`nodejs-buildpack=v1.9.4 node=22.23.1 ...`) at detect, and the same
// line from what was really installed written as `name` in the final buildpack's deps/<idx>/config.yml.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import type { BuiltinContext, BuiltinExtension, HookResult } from '../../src/lifecycle/hooks/types.ts';
import { composeLine, type Tag } from '../../src/detect/line.ts';
import { finalDetectTags, predictDetectTags } from '../../src/detect/predict.ts';

/** Extension tags (results' `detect`) in manifest order, operator first, after this built-in's own. */
function extensionTags(ctx: BuiltinContext): Tag[] {
  return ctx.state.detect.map((d) => ({ name: d.name, value: d.value }));
}

/** Sets `name` and `output_metadata.bpx.detect` in config.yml, keeping every other key (never `key`); atomic write. */
async function writeConfigName(configPath: string, line: string, tags: Tag[]): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch {
    return false; // the inner buildpack wrote no config.yml: the builder falls back to detect output, so leave it so
  }
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`${configPath}: not valid YAML (${doc.errors[0].message}); left unchanged`);
  doc.set('name', line);
  doc.setIn(['output_metadata', 'bpx', 'detect'], tags.map((t) => `${t.name}=${t.value}`));
  const tmp = `${configPath}.bpx-tmp`;
  await writeFile(tmp, doc.toString());
  await rename(tmp, configPath);
  return true;
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
      const { head, tags } = await predictDetectTags({ appDir: hook.dirs.build, buildpackDir, stack: hook.stack, capture });
      const line = composeLine(head, [...tags, ...extensionTags(ctx)]);
      ctx.log(`detect line: ${line}`);
      return { detectLine: line, metadata: { detect: line } };
    }
    if (hook.phase !== 'finalize' && hook.phase !== 'compile') {
      ctx.log(`nothing to do at ${hook.phase}:${hook.when} (declare it at detect:after and finalize:after)`);
      return {};
    }
    const { head, tags } = await finalDetectTags({
      appDir: hook.dirs.build, buildpackDir, stack: hook.stack, capture, installs: ctx.state.installs,
    });
    const all = [...tags, ...extensionTags(ctx)];
    const line = composeLine(head, all);
    if (hook.phase === 'compile' || !hook.dirs.deps || hook.dirs.depsIdx === undefined) {
      // The builder never reads config.yml of a compile-only buildpack: the detect line is what `cf app` shows.
      ctx.log(`installed: ${line} (compile-only buildpack: cf app shows the detect line)`);
      return { metadata: { detect: line } };
    }
    const written = await writeConfigName(join(hook.dirs.deps, hook.dirs.depsIdx, 'config.yml'), line, all);
    ctx.log(written ? `config.yml name: ${line}` : `no config.yml from the buildpack: name left as is (${line})`);
    return { metadata: { detect: line } };
  },
};

export default detectVersions;
