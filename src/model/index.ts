// Re-exports of the component model.
export * from './component.ts';
export { ECOSYSTEMS, type EcosystemRow, type SchemeId, ecosystemRow, isEcosystem, osvEcosystemOf, rowForName } from './ecosystem.ts';
export * from './purl.ts';
export * from './license.ts';
export * from './hash.ts';
export * from './make.ts';
export * from './cpe.ts';
