// Where the build puts bpx (dist/, scripts/build.mjs) and where bpx wrap ships it (runtime/ of a wrapped buildpack): one layout.

/** The CLI's entry, beside the folder of its chunks. */
export const CLI_ENTRY = 'bpx.cjs';
/** The chunks the CLI's entry loads on demand (a command each, shared code). */
export const CLI_CHUNKS = 'cli';
/**
 * The phase runtime the shims start (scripts/build.mjs): a boot file that loads CommonJS scripts, an entry and chunks,
 * each only when the phase needs its code and with the V8 code cache bpx wrap wrote for it (src/cli/phase-boot.cts).
 */
export const PHASE_DIR = 'phase';
export const PHASE_BOOT = `${PHASE_DIR}/boot.cjs`;
/** What bpx wrap writes beside each script of the runtime (`chunk-X.cjs.v8cache`). */
export const CODE_CACHE_SUFFIX = '.v8cache';
