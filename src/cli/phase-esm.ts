// The ES module entry of the phase runtime (dist/phase/bpx-phase.mjs), for the phases where the operator runs no
// built-in: it compiles only the chunks the phase loads (Node's compile cache on where Node has it, 22.1+). The phases
// with built-ins start the CommonJS build instead (phase-boot.cts).
import { enableCompileCache } from './compile-cache.ts';
import { main } from './phase-bin.ts';

enableCompileCache();
main(process.argv.slice(2));
