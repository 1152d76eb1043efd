// CommonJS on purpose: the bundler keeps this require() where it stands, inside the function, so the CVSS calculator's
// module (188 KB, whose set-up is a tenth of a scan's start) runs on the first vector to score, not when bpx starts:
// a scan that finds nothing with a CVSS vector never runs it. An ES import would run it at start whatever happens, and
// a dynamic import() would make every severity asynchronous.
import type Calculator from 'ae-cvss-calculator';

let loaded: typeof Calculator | undefined;

/** The ae-cvss-calculator module, loaded on first call. */
export function cvssCalculator(): typeof Calculator {
  return (loaded ??= require('ae-cvss-calculator') as typeof Calculator);
}
