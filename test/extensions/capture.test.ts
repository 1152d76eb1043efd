import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import capture, { summaryLine } from '../../extensions/capture/index.ts';
import { builtins } from '../../extensions/index.ts';
import { captureDir } from '../../src/catalog/index.ts';
import type { BuiltinContext, StagingState } from '../../src/lifecycle/hooks/types.ts';

const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'catalog', 'managers', 'npm', 'fixtures', 'installed-wins');

function context(withArgs: Record<string, unknown>, includeDev: boolean) {
  const lines: string[] = [];
  const state: StagingState = { findings: [], detect: [], installs: [], metadata: {} };
  const ctx: BuiltinContext = {
    hook: { version: 1, extension: 'capture', phase: 'finalize', when: 'after', app: {}, buildpacks: [], dirs: { build: fixture } },
    with: withArgs,
    manifestDir: fixture,
    operator: true,
    env: {},
    state,
    capture: () => captureDir(fixture, { includeDev }),
    log: (l) => lines.push(l),
    signal: new AbortController().signal,
  };
  return { ctx, lines, state };
}

test('registered as builtin:capture', async () => {
  assert.is((await builtins.capture()).default.name, 'capture');
});

test('captures, logs a summary and each issue with file:line, returns metadata, fills state', async () => {
  const { ctx, lines, state } = context({}, false);
  const r = await capture.run(ctx);
  assert.equal(r.metadata, { components: 5, complete: false });
  assert.is(lines[0], 'captured 5 npm components; 2 issues (incomplete)');
  assert.ok(
    lines.includes(
      'error: deps/0/node_modules/broken/package.json:1: installed package.json is not valid JSON: Unexpected end of JSON input',
    ),
    lines.join('\n'),
  );
  assert.is(lines.length, 3);
  assert.is(state.capture?.components.length, 5);
});

test('includeDev: false filters dev packages even when the staging capture holds them; bad type is an error', async () => {
  const { ctx, state } = context({ includeDev: false }, true);
  await capture.run(ctx);
  assert.ok(state.capture!.components.every((c) => c.scope !== 'dev'));
  await capture.run(context({ includeDev: 'yes' }, false).ctx).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /includeDev/),
  );
});

test('summary line groups runtimes apart from ecosystems', () => {
  const c = (ecosystem: any, kind: any) => ({ ecosystem, kind }) as any;
  assert.is(
    summaryLine({ components: [c('npm', 'library'), c('npm', 'library'), c('generic', 'runtime')], issues: [], complete: true }),
    'captured 2 npm, 1 runtime components; 0 issues',
  );
  assert.is(
    summaryLine({ components: [], issues: [{ path: 'a', severity: 'warning', message: 'm' }], complete: true }),
    'captured no components; 1 issue',
  );
});

test.run();
