// builtin:license-policy: checks captured components' SPDX licenses against allow/deny lists (see README.md).
import type { BuiltinExtension, Finding, HookResult } from '../../src/lifecycle/hooks/types.ts';
import { evaluateLicenses, parsePolicy } from '../../src/license/index.ts';

const licensePolicy: BuiltinExtension = {
  name: 'license-policy',
  description: 'Checks every captured component license against allowed/denied SPDX ids, with per-package exceptions.',
  async run(ctx): Promise<HookResult> {
    const w = ctx.with ?? {};
    const { policy, errors } = parsePolicy(w, 'with');
    if (w.includeDev !== undefined && typeof w.includeDev !== 'boolean') errors.push('with.includeDev: true or false');
    if (errors.length) throw new Error(errors.join('; '));
    const cap = await ctx.capture();
    const components = w.includeDev === true ? cap.components : cap.components.filter((c) => c.scope !== 'dev');
    const violations = evaluateLicenses(components, policy);
    const findings: Finding[] = violations.map((v) => ({
      severity: v.severity === 'error' ? 'high' : 'low',
      message: `${v.name}@${v.version}: ${v.message}`,
      package: v.purl,
      id: `license-${v.kind}`,
    }));
    for (const f of findings) ctx.log(f.message);
    const errorsFound = violations.filter((v) => v.severity === 'error');
    ctx.log(
      `${components.length} components checked: ${errorsFound.length} violation${errorsFound.length === 1 ? '' : 's'}, ${violations.length - errorsFound.length} warning${violations.length - errorsFound.length === 1 ? '' : 's'}`,
    );
    const metadata = { checked: components.length, violations: errorsFound.length };
    if (errorsFound.length) {
      return {
        findings,
        metadata,
        verdict: 'fail',
        message: `${errorsFound.length} license violation${errorsFound.length === 1 ? '' : 's'}: ${errorsFound.map((v) => `${v.name}@${v.version} (${v.license || v.kind})`).join(', ')}`,
      };
    }
    return { findings, metadata };
  },
};

export default licensePolicy;
