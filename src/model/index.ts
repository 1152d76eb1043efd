// Re-exports of the component model.
export * from './component.ts';
export * from './purl.ts';
export * from './license.ts';
export * from './hash.ts';
export * from './make.ts';
