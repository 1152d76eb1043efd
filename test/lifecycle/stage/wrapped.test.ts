// Wrapped-with-no-extensions buildpacks stage exactly like the unwrapped ones; a script extension logs.
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bpx, contents, ensureDist, fixtures, listing, readJson, repoRoot, sorted, tmp } from './helpers.ts';
import { bpDir, scenarios, stageScenario, type Scenario } from './scenarios.ts';

ensureDist();

const wrapped = new Map<string, string>();
function wrap(name: string, manifest = join(fixtures, 'manifests', 'empty.yml')): string {
  const id = `${name}:${manifest}`;
  if (!wrapped.has(id)) {
    const out = join(tmp('bpx-wrapped-'), name);
    const r = bpx(['wrap', bpDir(name), '--manifest', manifest, '-o', out], { bundled: true });
    assert.is(r.code, 0, `bpx wrap ${name}: ${r.stderr}`);
    wrapped.set(id, out);
  }
  return wrapped.get(id)!;
}

const stageWith = (s: Scenario, dirOf: (bp: string) => string) => stageScenario(s, dirOf);

for (const s of scenarios) {
  test(`wrapped with no extensions = unwrapped: ${s.name}`, async () => {
    const plain = await stageWith(s, bpDir);
    const wrappedRun = await stageWith(s, (b) => wrap(b));
    assert.is(wrappedRun.exitCode, plain.exitCode, wrappedRun.log);
    assert.is(plain.exitCode, s.exitCode);
    assert.is(wrappedRun.resultPath === undefined, plain.resultPath === undefined, 'a result file in both or neither');
    if (plain.resultPath) assert.equal(sorted(readJson(wrappedRun.resultPath!)), sorted(readJson(plain.resultPath)));
    if (s.error) assert.ok(wrappedRun.log.endsWith(`${s.error}\n`), wrappedRun.log);
    if (plain.dropletPath) {
      assert.ok(wrappedRun.dropletPath);
      assert.equal(await listing(wrappedRun.dropletPath!), await listing(plain.dropletPath));
      assert.equal(await contents(wrappedRun.dropletPath!), await contents(plain.dropletPath));
    }
  });
}

test('a wrapped buildpack with a script extension: the file lands in ./app, the log shows its prefixed lines', async () => {
  const manifest = join(fixtures, 'manifests', 'mark.yml');
  for (const [bp, app, phase] of [
    ['full', 'node-app', 'finalize'],
    ['compile-only', 'plain', 'compile'],
  ] as const) {
    const dir = wrap(bp, manifest);
    const o = await stageWith({ name: bp, app, buildpacks: [bp], skipDetect: false, exitCode: 0 }, () => dir);
    assert.is(o.exitCode, 0, o.log);
    const c = await contents(o.dropletPath!);
    assert.is(c['./app/marked.txt'], `marked by bpx at ${phase}:after\n`);
    const line = o.log.split('\n').find((l) => l.includes(`marking the app after ${phase}`));
    assert.ok(line, o.log);
    assert.match(line!, 'mark-app', 'the line carries the extension name');
  }
});

test.run();
