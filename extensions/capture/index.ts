// builtin:capture: captures the app's dependencies once per phase and logs a summary (see README.md).
import type { BuiltinExtension, HookResult } from '../../src/lifecycle/hooks/types.ts';
import type { Capture } from '../../src/model/index.ts';

/** "captured 412 npm, 3 runtime components; 1 issue" */
export function summaryLine(cap: Capture): string {
  const counts = new Map<string, number>();
  for (const c of cap.components) {
    const key = c.kind === 'runtime' ? 'runtime' : c.ecosystem;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const parts = [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => `${n} ${k}`);
  const what = parts.length ? `${parts.join(', ')} component${cap.components.length === 1 ? '' : 's'}` : 'no components';
  const n = cap.issues.length;
  return `captured ${what}; ${n} issue${n === 1 ? '' : 's'}${cap.complete ? '' : ' (incomplete)'}`;
}

const capture: BuiltinExtension = {
  name: 'capture',
  description: 'Captures every dependency the app ships (all registered package managers) into the staging state.',
  async run(ctx): Promise<HookResult> {
    const w = ctx.with ?? {};
    if (w.includeDev !== undefined && typeof w.includeDev !== 'boolean') throw new Error('capture: with.includeDev must be true or false');
    let cap = await ctx.capture();
    if (w.includeDev !== true) {
      // ctx.capture() may have been asked for dev packages by another extension: ship view by default
      cap = { ...cap, components: cap.components.filter((c) => c.scope !== 'dev') };
    }
    ctx.state.capture = cap;
    ctx.log(summaryLine(cap));
    for (const i of cap.issues) ctx.log(`${i.severity}: ${i.path}${i.line ? `:${i.line}` : ''}: ${i.message}`);
    return { metadata: { components: cap.components.length, complete: cap.complete } };
  },
};

export default capture;
