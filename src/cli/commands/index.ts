// The command registry: each command lives in its own file and is loaded only when it runs (fast start-up).
import type { Command } from '../io.ts';

export const commands: Record<string, () => Promise<{ default: Command }>> = {
  phase: () => import('./phase.ts'),
  stage: () => import('./stage.ts'),
  wrap: () => import('./wrap.ts'),
  validate: () => import('./validate.ts'),
  sbom: () => import('./sbom.ts'),
  keygen: () => import('./keygen.ts'),
  verify: () => import('./verify.ts'),
  scan: () => import('./scan.ts'),
  query: () => import('./query.ts'),
  fleet: () => import('./fleet.ts'),
  'serve-hooks': () => import('./serve-hooks.ts'),
  'serve-signer': () => import('./serve-signer.ts'),
};
