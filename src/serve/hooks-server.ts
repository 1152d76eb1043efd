// bpx serve-hooks: a reference receiver for `http:` extensions that logs each request and answers from a policy.
import { serveJson, HttpProblem, type RunningServer, type ServeOptions } from './http-server.ts';
import { evaluatePolicy, type HooksPolicy } from './hooks-policy.ts';

export interface HooksServerOptions extends ServeOptions {
  policy?: HooksPolicy;
}

export function startHooksServer(opts: HooksServerOptions): Promise<RunningServer> {
  const policy = opts.policy ?? { deny: [], warn: [] };
  return serveJson(opts, (json) => {
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new HttpProblem(400, 'request body is not a JSON object');
    const ctx = json as Record<string, unknown>;
    const result = evaluatePolicy(policy, ctx as Parameters<typeof evaluatePolicy>[1]);
    const app = (ctx.app ?? {}) as Record<string, unknown>;
    return {
      status: 200,
      body: result,
      log: {
        app: typeof app.name === 'string' ? app.name : undefined,
        components: Array.isArray(ctx.components) ? ctx.components.length : undefined,
        extension: ctx.extension,
        findings: Array.isArray(ctx.findings) ? ctx.findings.length : undefined,
        phase: ctx.phase,
        verdict: result.verdict,
        when: ctx.when,
      },
    };
  });
}
