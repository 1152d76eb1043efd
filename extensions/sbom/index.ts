// builtin:sbom: writes the droplet's CycloneDX 1.6 / SPDX 2.3 SBOM and a DSSE-signed in-toto attestation over its content.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BuiltinContext, BuiltinExtension, HookResult } from '../../src/lifecycle/hooks/types.ts';
import { FORMAT_IDS, isFormat, type Format } from '../../src/sbom/formats/index.ts';
import { createLocalSigner } from '../../src/sbom/sign/keys.ts';
import type { Signer } from '../../src/sbom/sign/signer.ts';
import { stageSbom } from '../../src/sbom/stage.ts';
import { type BuildpackBuild, readBuildpackBuild } from '../../src/sbom/buildpack-build.ts';
import type { BuildpackFact } from '../../src/sbom/model.ts';

type KeySetting =
  { file: string } | { env: string } | { http: string; token?: { env: string }; caFile?: string; insecure?: boolean; timeoutMs?: number };
const HTTP_KEYS = new Set(['http', 'token', 'caFile', 'insecure', 'timeoutMs']);

function settings(w: Record<string, unknown>): { formats: Format[]; key?: KeySetting } {
  const formats = (w.formats ?? FORMAT_IDS) as unknown;
  if (!Array.isArray(formats) || formats.length === 0 || !formats.every(isFormat)) {
    throw new Error(`with.formats must be a non-empty list of ${FORMAT_IDS.join(', ')}`);
  }
  const k = w.signingKey as Record<string, unknown> | undefined;
  if (k === undefined || k === null) return { formats: [...new Set(formats as Format[])].sort() };
  const ok =
    (typeof k === 'object' && Object.keys(k).length === 1 && typeof k.file === 'string') ||
    (typeof k === 'object' && Object.keys(k).length === 1 && typeof k.env === 'string') ||
    (typeof k === 'object' &&
      typeof k.http === 'string' &&
      Object.keys(k).every((x) => HTTP_KEYS.has(x)) &&
      (k.token === undefined || typeof (k.token as Record<string, unknown>)?.env === 'string') &&
      (k.caFile === undefined || typeof k.caFile === 'string') &&
      (k.insecure === undefined || typeof k.insecure === 'boolean') &&
      (k.timeoutMs === undefined || (typeof k.timeoutMs === 'number' && k.timeoutMs > 0)));
  if (!ok)
    throw new Error('with.signingKey must be {file: PATH}, {env: NAME} or {http: URL, token: {env: NAME}, caFile?, insecure?, timeoutMs?}');
  return { formats: [...new Set(formats as Format[])].sort(), key: k as KeySetting };
}

async function signerFor(key: KeySetting, ctx: BuiltinContext): Promise<Signer> {
  if ('file' in key) {
    const file = path.resolve(ctx.manifestDir, key.file);
    let pem: Buffer;
    try {
      pem = await readFile(file);
    } catch (err) {
      throw new Error(`signingKey file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    return createLocalSigner(pem);
  }
  if ('env' in key) {
    const pem = ctx.env[key.env];
    if (!pem) throw new Error(`signingKey: environment variable ${key.env} is not set`);
    return createLocalSigner(pem);
  }
  let remote: typeof import('../../src/sbom/sign/remote.ts');
  try {
    remote = await import('../../src/sbom/sign/remote.ts');
  } catch {
    throw new Error('signingKey {http: ...}: remote signing is not available in this build');
  }
  const token = key.token ? ctx.env[key.token.env] : undefined;
  if (key.token && !token) throw new Error(`signingKey: token variable ${key.token.env} is not set`);
  return remote.createRemoteSigner({
    url: key.http,
    token,
    caFile: key.caFile ? path.resolve(ctx.manifestDir, key.caFile) : undefined,
    insecure: key.insecure,
    timeoutMs: key.timeoutMs,
    env: ctx.env,
    log: (l) => ctx.log(l),
    signal: ctx.signal,
  });
}

/** The wrapped buildpack's fact from bpx/buildpack.json: digest and commit; name and version when config.yml has none. */
function wrapped(build: BuildpackBuild, name: string | undefined): Partial<BuildpackFact> {
  return {
    ...(name ? {} : build.name ? { name: build.name } : {}),
    ...(build.version ? { version: build.version } : {}),
    sha256: build.sha256,
    ...(build.commit ? { commit: build.commit } : {}),
  };
}

const extension: BuiltinExtension = {
  name: 'sbom',
  description: 'Writes the CycloneDX 1.6 and SPDX 2.3 SBOM and a signed in-toto attestation into the droplet',
  async run(ctx: BuiltinContext): Promise<HookResult> {
    const { formats, key } = settings(ctx.with);
    const signer = key ? await signerFor(key, ctx) : undefined;
    const capture = await ctx.capture();
    const h = ctx.hook;
    // what bpx wrap recorded of the inner buildpack, in the wrapper's bpx/ folder beside inner/
    const build = ctx.buildpack ? await readBuildpackBuild(path.join(path.dirname(ctx.buildpack.dir), 'bpx')) : undefined;
    const result = await stageSbom({
      capture,
      phase: h.phase,
      buildDir: h.dirs.build,
      depsDir: h.dirs.deps,
      depsIdx: h.dirs.depsIdx,
      stack: h.stack,
      env: ctx.env,
      known: h.buildpacks.map((b) => ({
        index: b.index,
        name: b.name,
        version: b.version,
        key: b.key,
        ...(b.wrapped && build ? wrapped(build, b.name) : {}),
      })),
      formats,
      signer,
      installs: ctx.state.installs,
    });
    for (const i of result.issues) ctx.log(`warning: ${i.path}${i.line ? `:${i.line}` : ''}: ${i.message}`);
    ctx.log(
      `wrote ${result.files.join(', ')}${signer ? ` (signed, keyid ${signer.keyid || 'remote'})` : ''}${capture.complete ? '' : ' (capture incomplete)'}`,
    );
    return { metadata: { sbom: { location: result.location, files: result.files, subjects: result.subjects } } };
  },
};
export default extension;
