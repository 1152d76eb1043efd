// Where the build puts bpx (dist/, scripts/build.mjs) and where bpx wrap ships it (runtime/ of a wrapped buildpack): one layout.

/** The CLI's entry, beside the folder of its chunks. */
export const CLI_ENTRY = 'bpx.mjs';
/** The chunks the CLI's entry loads on demand (a command each, shared code). */
export const CLI_CHUNKS = 'cli';
/**
 * The phase runtime the shims start, in two builds of the same code. A phase where the operator runs built-ins starts
 * the boot file, which compiles one CommonJS bundle with the V8 code cache bpx wrap wrote for it (the built-ins' code
 * comes compiled); any other phase starts the ES module entry, whose chunks load only what the phase runs (a cache of
 * the whole bundle would cost such a phase more than it saves).
 */
export const PHASE_DIR = 'phase';
export const PHASE_ENTRY = `${PHASE_DIR}/bpx-phase.mjs`;
export const PHASE_BOOT = `${PHASE_DIR}/boot.cjs`;
export const PHASE_BUNDLE = `${PHASE_DIR}/bpx-phase.cjs`;
export const PHASE_CODE_CACHE = `${PHASE_BUNDLE}.v8cache`;
