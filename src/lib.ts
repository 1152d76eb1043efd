// The bpx library API (`import { ... } from 'bpx'`): stable entry points for other tools; each part appends its lines.
export { compareVersions } from './vuln/versions/index.ts';
export { rangeTest } from './vuln/versions/ranges.ts';
export { loadOsvDb, buildDb, matchComponents, checkComponents, applyIgnores, severityOf } from './vuln/osv/index.ts';
export type { OsvDb, OsvRecord, VulnFinding, VulnSeverity, Ignore } from './vuln/osv/index.ts';
export { loadNvdDb, buildNvdDb, checkNvd, matchNvd } from './vuln/nvd/index.ts';
export type { NvdDb } from './vuln/nvd/index.ts';
export { checkAgainst, type VulnDatabases } from './vuln/check.ts';
export { RUNTIME_CPES, runtimeCpe, formatCpe, parseCpe } from './model/cpe.ts';
export { evaluateLicenses, parseExpression } from './license/index.ts';
export type { LicensePolicy, LicenseViolation } from './license/index.ts';
export { loadManifest, checkManifestText } from './manifest/load.ts';
export { mergeManifests, secretEnvNames } from './manifest/merge.ts';
export type { Manifest, ExtensionSpec, ManifestError, ResolvedExtension } from './manifest/types.ts';
export { runPhase, EXIT_EXTENSION_FAILED, EXIT_WRAPPER_BROKEN } from './lifecycle/phases/run-phase.ts';
export { wrapBuildpack } from './wrap/wrap.ts';
