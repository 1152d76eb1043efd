// The runner's handling of built-in extensions (in-process, via runPhase): results, thrown errors, deadlines, env, capture.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT_EXTENSION_FAILED } from '../../src/lifecycle/phases/run-phase.ts';
import type { BuiltinContext, BuiltinExtension } from '../../src/lifecycle/hooks/types.ts';
import { runPhaseHere, stagingDirs, tempDir, wrapperLayout as layout, type BuiltinRegistry } from './helpers.ts';

function builtin(
  name: string,
  run: (ctx: BuiltinContext) => Promise<import('../../src/lifecycle/hooks/types.ts').HookResult>,
): () => Promise<{ default: BuiltinExtension }> {
  return async () => ({ default: { name, description: name, run } });
}

async function run(wrapper: string, phase: 'supply' | 'finalize' | 'detect', builtins: BuiltinRegistry, env: Record<string, string> = {}) {
  const root = tempDir();
  const s = stagingDirs(root);
  writeFileSync(join(s.app, 'package.json'), JSON.stringify({ name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } }));
  writeFileSync(
    join(s.app, 'package-lock.json'),
    JSON.stringify({
      name: 'demo',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'demo', version: '1.0.0', dependencies: { 'left-pad': '1.3.0' } },
        'node_modules/left-pad': {
          version: '1.3.0',
          resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz',
          license: 'WTFPL',
        },
      },
    }),
  );
  return { ...(await runPhaseHere(wrapper, phase, s, builtins, env)), s };
}

test('a built-in result feeds the log and the state; it sees the operator secret that children do not', async () => {
  const w = layout(`version: 1
extensions:
  - {name: good, at: [supply:after], uses: "builtin:good", with: {signingKey: {env: OPS_KEY}, level: 3}}
  - {name: child, at: [supply:after], run: [sh, -c, 'echo "child sees \${OPS_KEY:-nothing}"']}
`);
  let seen: BuiltinContext | undefined;
  const r = await run(
    w,
    'supply',
    {
      good: builtin('good', async (ctx) => {
        seen = ctx;
        ctx.log('hello from inside');
        return { findings: [{ severity: 'medium', message: 'm1' }], detect: { good: '1' } };
      }),
    },
    { OPS_KEY: 'k3y' },
  );
  assert.is(r.code, 0, r.err);
  assert.match(r.out, '[good] hello from inside\n');
  assert.match(r.out, '[good] medium: m1\n');
  assert.match(r.out, '[child] child sees nothing\n');
  assert.is(seen?.env.OPS_KEY, 'k3y');
  assert.equal(seen?.with, { signingKey: { env: 'OPS_KEY' }, level: 3 });
  assert.is(seen?.operator, true);
  assert.is(seen?.manifestDir, join(w, 'bpx'));
  assert.is(seen?.hook.phase, 'supply');
  assert.is(seen?.hook.when, 'after');
  assert.equal(seen?.state.installs, [
    { name: 'tool', version: '4.5.6' },
    { name: 'other', version: '1.0.0-rc.1' },
  ]);
});

test('a thrown error and a missed deadline are the extension failure; onFailure decides', async () => {
  const w = layout(`version: 1
extensions:
  - {name: boom, at: [finalize:before], uses: "builtin:boom"}
  - {name: slow, at: [finalize:before], uses: "builtin:slow", timeout: 300ms, onFailure: fail}
`);
  let aborted = false;
  const r = await run(w, 'finalize', {
    boom: builtin('boom', async () => {
      throw new Error('kaboom');
    }),
    // rejects once aborted, after its deadline: must not crash the phase with an unhandled rejection
    slow: builtin(
      'slow',
      (ctx) =>
        new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => {
            aborted = true;
            setTimeout(() => reject(new Error('late')), 10);
          }),
        ),
    ),
  });
  assert.is(r.code, EXIT_EXTENSION_FAILED);
  assert.match(r.out, '[boom] failed, continuing (onFailure: warn): kaboom');
  assert.match(r.out, '[slow] FAILED (onFailure: fail): timed out after 300ms');
  assert.ok(aborted, 'the built-in was told through its AbortSignal');
  assert.not.match(r.out, '-----> Finalizing', 'the inner finalize did not run');
});

test('verdict fail is a failure; capture() reads the app and deps with app/ and deps/ prefixes, once per phase', async () => {
  const w = layout(`version: 1
extensions:
  - {name: cap, at: [finalize:after], uses: "builtin:cap", onFailure: fail}
  - {name: cap2, at: [finalize:after], uses: "builtin:cap"}
  - {name: judge, at: [finalize:after], uses: "builtin:judge"}
`);
  const captures: unknown[] = [];
  const r = await run(w, 'finalize', {
    cap: builtin('cap', async (ctx) => {
      captures.push(await ctx.capture());
      return {};
    }),
    judge: builtin('judge', async () => ({ verdict: 'fail', message: 'policy says no' })),
  });
  assert.is(r.code, 0, r.err);
  assert.match(r.out, '[judge] failed, continuing (onFailure: warn): verdict fail: policy says no');
  assert.is(captures.length, 2);
  assert.is(captures[0], captures[1], 'captured once per phase');
  const cap = captures[0] as { components: Array<{ name: string; locations: Array<{ path: string }> }> };
  const lp = cap.components.find((c) => c.name === 'left-pad');
  assert.ok(lp, JSON.stringify(cap).slice(0, 500));
  assert.ok(
    lp!.locations.every((l) => l.path.startsWith('app/')),
    JSON.stringify(lp!.locations),
  );
});

test('a manifest naming a built-in this build lacks, or broken YAML, stops the phase with 87 and a located error', async () => {
  const w = layout('version: 1\nextensions:\n  - {name: gone, at: [detect:before], uses: "builtin:gone", onFailure: fail}\n');
  let r = await run(w, 'detect', { gone: builtin('gone', async () => ({})) });
  assert.is(r.code, 0, r.err);
  assert.is(r.out, 'full-bp 1.2.3');
  r = await run(w, 'detect', {});
  assert.is(r.code, 87, 'manifest names a built-in this build lacks');
  assert.match(r.err, "unknown built-in 'gone'");
  writeFileSync(join(w, 'bpx', 'bpx.yml'), 'version: 1\nextensions: [oops\n');
  r = await run(w, 'detect', {});
  assert.is(r.code, 87);
  assert.match(r.err, /bpx\.yml:\d+:\d+: \(root\): YAML: /);
  assert.is(r.out, '', 'nothing on detect stdout');
  assert.ok(readFileSync(join(w, 'bpx', 'bpx.yml'), 'utf8').length > 0);
});

test('the stored bpx.json is used while it matches bpx.yml; a hand-edited bpx.yml is loaded again', async () => {
  const { compileManifest } = await import('../../src/manifest/compiled.ts');
  const yml = 'version: 1\nextensions:\n  - {name: from-yaml, at: [detect:before], uses: "builtin:say"}\n';
  const w = layout(yml);
  const say = { say: builtin('say', async (ctx) => (ctx.log(`i am ${ctx.hook.extension}`), {})) };
  writeFileSync(
    join(w, 'bpx', 'bpx.json'),
    compileManifest(Buffer.from(yml), { version: 1, extensions: [{ name: 'from-json', at: ['detect:before'], uses: 'builtin:say' }] }),
  );
  let r = await run(w, 'detect', say);
  assert.match(r.err, '[from-json] i am from-json');
  writeFileSync(join(w, 'bpx', 'bpx.yml'), yml.replace('from-yaml', 'edited'));
  r = await run(w, 'detect', say);
  assert.match(r.err, '[edited] i am edited');
  assert.is(r.out, 'full-bp 1.2.3');
});

test.run();
