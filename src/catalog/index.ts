// Re-exports of the catalog: capture an app dir or droplet root into components.
export type { AppFile, PackageManager, ParseResult, ScanContext } from './types.ts';
export { captureDir, captureMounts, compareIssues, isWanted } from './capture.ts';
export type { CaptureOptions } from './capture.ts';
export { scanContextForDir, scanContextForMounts, DEFAULT_MAX_FILE_BYTES } from './context.ts';
export type { Mount, ScanOptions } from './context.ts';
export { mergeComponents } from './merge.ts';
export { managers } from './registry.ts';
