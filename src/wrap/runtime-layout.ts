// Where the build puts bpx (dist/, scripts/build.mjs) and where bpx wrap ships it (runtime/ of a wrapped buildpack): one layout.

/** The CLI's entry, beside the folder of its chunks. */
export const CLI_ENTRY = 'bpx.mjs';
/** The chunks the CLI's entry loads on demand (a command each, shared code). */
export const CLI_CHUNKS = 'cli';
/** The phase runtime the shims start: a boot file, the bundle it compiles, and the bundle's V8 code cache (bpx wrap). */
export const PHASE_DIR = 'phase';
export const PHASE_ENTRY = `${PHASE_DIR}/boot.cjs`;
export const PHASE_BUNDLE = `${PHASE_DIR}/bpx-phase.cjs`;
export const PHASE_CODE_CACHE = `${PHASE_BUNDLE}.v8cache`;
