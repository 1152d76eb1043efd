// `npm run demo`: wraps the example buildpack with the example operator manifest, stages the example app with it
// into ./demo-out, and shows the staging log, the detect line and where the droplet and result.json are.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const cli = join(root, 'dist', 'bpx.cjs');
const example = {
  buildpack: join(root, 'examples', 'buildpacks', 'nodejs-lite'),
  manifest: join(root, 'examples', 'operator', 'bpx.yml'),
  app: join(root, 'examples', 'apps', 'hello-node'),
};
const out = join(root, 'demo-out');

function step(title) {
  console.log(`\n== ${title}`);
}
function run(args, opts = {}) {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: opts.capture ? 'pipe' : 'inherit', encoding: 'utf8' });
  if (r.error) throw r.error;
  return r;
}

if (!existsSync(cli) || process.argv.includes('--rebuild')) {
  step('building dist/bpx.cjs');
  if (run([join(root, 'scripts', 'build.mjs')]).status !== 0) process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'bpx-demo-'));
const wrapped = join(work, 'nodejs-lite-wrapped.zip');
step(`bpx wrap examples/buildpacks/nodejs-lite --manifest examples/operator/bpx.yml -o ${wrapped}`);
const w = run([cli, 'wrap', example.buildpack, '--manifest', example.manifest, '-o', wrapped]);
if (w.status !== 0) {
  console.error(`bpx wrap failed (exit ${w.status})`);
  process.exit(w.status ?? 1);
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const keyPrefix = join(work, 'demo-signing');
step('bpx keygen --type ed25519 -o <work>/demo-signing   (the SBOM signing key; the public half is kept in demo-out)');
if (run([cli, 'keygen', '--type', 'ed25519', '-o', keyPrefix]).status !== 0) process.exit(1);
copyFileSync(`${keyPrefix}.pub`, join(out, 'signing.pub'));

step(
  'bpx stage --app examples/apps/hello-node --buildpack nodejs=<wrapped.zip> --env BPX_SIGNING_KEY=<key> --out demo-out   (the staging log, live)',
);
const s = run([
  cli,
  'stage',
  '--app',
  example.app,
  '--buildpack',
  `nodejs=${wrapped}`,
  '--env',
  `BPX_SIGNING_KEY=${readFileSync(`${keyPrefix}.key`, 'utf8')}`,
  '--out',
  out,
]);
rmSync(work, { recursive: true, force: true });

step('outcome');
const resultPath = join(out, 'result.json');
if (existsSync(resultPath)) {
  const result = JSON.parse(readFileSync(resultPath, 'utf8'));
  console.log(`detect line (cf app shows it):  ${result.lifecycle_metadata.detected_buildpack || '(empty)'}`);
  console.log(
    `buildpacks:                     ${result.lifecycle_metadata.buildpacks.map((b) => `${b.key}=${b.name}${b.version ? ` ${b.version}` : ''}`).join(', ')}`,
  );
  console.log(`start command:                  ${result.process_types?.web ?? '(none)'}`);
}
console.log(
  `droplet:                        ${existsSync(join(out, 'droplet.tgz')) ? join(out, 'droplet.tgz') : '(none: staging failed)'}`,
);
console.log(`result.json:                    ${resultPath}`);
console.log(`staging log:                    ${join(out, 'staging.log')}`);
console.log(`list the droplet with:          tar tvzf demo-out/droplet.tgz`);
if (s.status === 0) {
  step('bpx verify demo-out/droplet.tgz --key demo-out/signing.pub   (the signed SBOM inside the droplet)');
  const v = run([cli, 'verify', join(out, 'droplet.tgz'), '--key', join(out, 'signing.pub')]);
  if (v.status !== 0) process.exit(v.status ?? 1);
}
process.exit(s.status ?? 1);
