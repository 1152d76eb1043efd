// Re-exports of the component model.
export * from './component.ts';
