// NVD CVE API 2.0 data and Node.js Security WG advisories, offline, matched against runtimes by CPE: re-exports only.
export { type NvdDb, type NvdInput, buildNvdDb, loadNvdDb, nvdAgeMs } from './load.ts';
export { type CpeTarget, checkNvd, cpeTargetOf, matchNvd, nvdUncheckable } from './match.ts';
export { type Applicable, applicable, cpeMatches } from './applicability.ts';
export { readCve } from './record.ts';
export type { CpeConfiguration, CpeMatch, CpeNode, CpeQuery, NodeAdvisory, NvdAdvisory } from './types.ts';
