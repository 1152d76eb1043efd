// Re-exports of the SBOM readers, which live with their formats (src/sbom/formats/), for the scan and fleet code that imports them here.
export { readSbom, readSbomJson, type BuildpackRecord, type SbomInput } from '../../sbom/formats/index.ts';
export { buildpackFromConfig } from '../../sbom/facts.ts';
