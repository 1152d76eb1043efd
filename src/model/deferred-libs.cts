// Libraries loaded where first called, not where imported. packageurl-js and spdx-correct each set up ICU collation as
// they load (`new Intl.Collator()`, `localeCompare` in a sort): 8-11 ms of a phase or a `bpx sbom` that calls neither,
// as a capture of plainly spelled npm packages with valid SPDX licences does. CommonJS on purpose: in the bundles
// (BPX_BUNDLED, scripts/build.mjs) esbuild turns each literal require() below into a call of the bundled module's lazy
// initialiser at this very place, where an ES import would run it as the chunk loads. From source (tsx, the tests),
// Node's own CommonJS require loads them: the require tsx hands a .cts imported from an ES module cannot load the
// JSON files spdx-correct needs.
import { createRequire } from 'node:module';
import type { PackageURL } from 'packageurl-js';
import type spdxCorrect from 'spdx-correct';

declare const BPX_BUNDLED: boolean | undefined;
const fromSource = (id: string): unknown => {
  // an ES module bundle made without the define has no __filename, and no node_modules to load from beside it
  if (typeof __filename !== 'string') throw new Error(`${id}: this bundle was built without BPX_BUNDLED (see scripts/build.mjs)`);
  return createRequire(__filename)(id);
};

let packageUrlClass: typeof PackageURL | undefined;
let correctFn: typeof spdxCorrect | undefined;

/** packageurl-js's PackageURL, loaded on the first call. */
export function packageUrl(): typeof PackageURL {
  type Lib = typeof import('packageurl-js');
  return (packageUrlClass ??= (
    typeof BPX_BUNDLED === 'undefined' ? (fromSource('packageurl-js') as Lib) : (require('packageurl-js') as Lib)
  ).PackageURL);
}

/** spdx-correct, loaded on the first call. */
export function correctLicense(...args: Parameters<typeof spdxCorrect>): ReturnType<typeof spdxCorrect> {
  type Fn = typeof spdxCorrect;
  correctFn ??= typeof BPX_BUNDLED === 'undefined' ? (fromSource('spdx-correct') as Fn) : (require('spdx-correct') as Fn);
  return correctFn(...args);
}
