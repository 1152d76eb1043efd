// What `bpx wrap` runs, once, before it writes the phase runtime's code caches (src/cli/phase-boot.cts): the work every
// staging with built-ins does, on a made-up app in a temporary folder. V8 compiles a function when it is first called;
// functions called here have their compiled code in the caches, so no staging compiles them again (a finalize with the
// example operator manifest: about 20 ms less). Nothing here reads or writes outside its own folder.
import { generateKeyPairSync } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readBuildpackFacts } from '../detect/buildpack-manifest.ts';
import { captureMounts } from '../catalog/capture.ts';
import { editConfigYml } from '../platform/config-yml.ts';
import { createLocalSigner } from '../sbom/sign/keys.ts';
import { stageSbom } from '../sbom/stage.ts';

const FILES: Record<string, string> = {
  'buildpack/VERSION': '1.0.0\n',
  'buildpack/manifest.yml':
    '---\nlanguage: nodejs\ndefault_versions:\n- name: node\n  version: 20.x\ndependencies:\n- name: node\n  version: 20.11.1\n  cf_stacks: [cflinuxfs4]\n',
  'app/package.json': '{"name": "warm", "version": "1.0.0", "dependencies": {"a": "^1.0.0"}}\n',
  'app/package-lock.json': `${JSON.stringify({
    name: 'warm',
    version: '1.0.0',
    lockfileVersion: 3,
    packages: {
      '': { name: 'warm', version: '1.0.0', dependencies: { a: '^1.0.0' } },
      'node_modules/a': {
        version: '1.0.0',
        resolved: 'https://registry.npmjs.org/a/-/a-1.0.0.tgz',
        integrity: 'sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==',
        license: 'MIT',
      },
    },
  })}\n`,
  'deps/0/node_modules/a/package.json': '{"name": "a", "version": "1.0.0", "license": "Apache 2.0"}\n',
  'deps/0/config.yml': '---\nname: nodejs\nconfig: {}\nversion: 1.0.0\n',
};

/**
 * Runs a buildpack manifest read, a capture, a config.yml edit and a signed SBOM on a made-up staging, then removes it.
 * Says what it made (for its test): the components captured and the SBOM files written.
 */
export async function rehearse(): Promise<{ components: string[]; files: string[] }> {
  const root = await mkdtemp(join(tmpdir(), 'bpx-warm-'));
  try {
    for (const [rel, text] of Object.entries(FILES)) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), text);
    }
    const [app, deps] = [join(root, 'app'), join(root, 'deps')];
    await readBuildpackFacts(join(root, 'buildpack'));
    const capture = await captureMounts(
      [
        { prefix: 'app/', dir: app },
        { prefix: 'deps/', dir: deps },
      ],
      { includeDev: false },
    );
    editConfigYml(await readFile(join(deps, '0', 'config.yml'), 'utf8'), { name: 'nodejs a=1.0.0', outputMetadata: { a: '1.0.0' } });
    const { privateKey } = generateKeyPairSync('ed25519');
    const sbom = await stageSbom({
      capture,
      phase: 'finalize',
      buildDir: app,
      depsDir: deps,
      depsIdx: '0',
      env: {},
      known: [],
      formats: ['cyclonedx', 'spdx'],
      signer: createLocalSigner(privateKey.export({ type: 'pkcs8', format: 'pem' })),
    });
    return { components: capture.components.map((c) => c.purl), files: sbom.files };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
