// The fleet inventory: re-exports only. Database drivers load when a store is opened, never at import.
export { DEFAULT_DB, parseDbLocation, openDb, type DbLocation } from './db/open.ts';
export type { SqlDb, Dialect } from './db/types.ts';
export { MIGRATIONS, SCHEMA_VERSION, migrate } from './schema/migrations.ts';
export { FleetStore, nameKey, appKey } from './store.ts';
export { addTargets, type AddEvent, type AddOptions } from './ingest/add.ts';
export { readTarget, targetDigest, contentDigest } from './ingest/read-target.ts';
export { queryInventory } from './query.ts';
export { outdated, parseOutdated, type OutdatedApp, type OutdatedRule } from './buildpacks.ts';
export { scanInventory, type ScanResult } from './scan.ts';
export { inventorySbom, projectName } from './export/sbom.ts';
export { uploadBom, bomEndpoint, UploadError, DT_PUT_MAX_BOM_CHARS } from './export/dependency-track.ts';
export type * from './types.ts';
