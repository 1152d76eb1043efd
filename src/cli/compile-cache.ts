// Node's on-disk cache of compiled modules (module.enableCompileCache, Node 22.1+); a no-op on Node 20.
import * as nodeModule from 'node:module';

/**
 * Turns the cache on where the running Node has it, so a second start skips compiling the chunks it loads (the
 * phases of one staging load the same runtime). Call it before importing anything large: modules already loaded
 * were compiled without it. NODE_DISABLE_COMPILE_CACHE=1 turns it off, NODE_COMPILE_CACHE=DIR moves it (Node's own).
 */
export function enableCompileCache(): void {
  const enable = (nodeModule as { enableCompileCache?: () => unknown }).enableCompileCache;
  try {
    enable?.();
  } catch {
    // a read-only or full temp folder only costs the speed-up
  }
}
