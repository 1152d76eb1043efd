// The reference servers an operator can run next to staging: serve-hooks (receiver) and serve-signer (remote signing).
export { startHooksServer, type HooksServerOptions } from './hooks-server.ts';
export { startSignerServer, type SignerServerOptions } from './signer-server.ts';
export { parsePolicy, evaluatePolicy, purlMatches, type HooksPolicy } from './hooks-policy.ts';
export { loadSigningKey, type SigningKey } from './signing-key.ts';
export type { RunningServer, ServeOptions } from './http-server.ts';
