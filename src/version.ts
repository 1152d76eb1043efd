// bpx's own version: package.json's, inlined into the bundle by esbuild (one source for the CLI, SBOM tool and User-Agent).
import pkg from '../package.json' with { type: 'json' };

export const VERSION: string = pkg.version;
