// The environment variables Node itself reads (its cli docs, Node 20 to 24), which the staging environment may hold for
// the app's own Node: the shim keeps them away from bpx's Node (src/wrap/shim.ts), bpx phase gives them back.

/** Each variable the Node binary reads at start or later; NODE_ENV is not one (Node never reads it). */
export const NODE_RUNTIME_VARS: readonly string[] = [
  'NODE_OPTIONS',
  'NODE_PATH',
  'NODE_EXTRA_CA_CERTS',
  'NODE_USE_SYSTEM_CA',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'NODE_USE_ENV_PROXY',
  'NODE_ICU_DATA',
  'NODE_DEBUG',
  'NODE_DEBUG_NATIVE',
  'NODE_DISABLE_COLORS',
  'NODE_NO_WARNINGS',
  'NODE_PENDING_DEPRECATION',
  'NODE_PENDING_PIPE_INSTANCES',
  'NODE_PRESERVE_SYMLINKS',
  'NODE_REDIRECT_WARNINGS',
  'NODE_REPL_EXTERNAL_MODULE',
  'NODE_REPL_HISTORY',
  'NODE_SKIP_PLATFORM_CHECK',
  'NODE_TEST_CONTEXT',
  'NODE_V8_COVERAGE',
  'NODE_COMPILE_CACHE',
  'NODE_COMPILE_CACHE_PORTABLE',
  'NODE_DISABLE_COMPILE_CACHE',
  'NODE_CHANNEL_FD',
  'NODE_CHANNEL_SERIALIZATION_MODE',
  'NODE_UNIQUE_ID',
  'NODE_CLUSTER_SCHED_POLICY',
  'OPENSSL_CONF',
  'OPENSSL_MODULES',
  'SSL_CERT_DIR',
  'SSL_CERT_FILE',
  'UV_THREADPOOL_SIZE',
  'UV_USE_IO_URING',
];

/** The prefix a kept variable travels under from the shim to bpx phase. */
export const KEPT_PREFIX = 'BPX_KEPT_';

/**
 * The environment as the builder gave it: each of NODE_RUNTIME_VARS the shim moved to BPX_KEPT_<name> gets its name
 * back; every BPX_KEPT_* goes (one the builder passed itself is not of the shim's making and restores nothing).
 */
export function keptNodeEnvironment(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (const k of Object.keys(env)) if (k.startsWith(KEPT_PREFIX)) delete out[k];
  for (const name of NODE_RUNTIME_VARS) {
    const v = env[KEPT_PREFIX + name];
    if (v !== undefined) out[name] = v;
  }
  return out;
}
