// Local Cloud Foundry staging: the public surface of src/lifecycle/stage.
export { stage, StageInputError, StageInterrupted, type StageOptions, type StageOutcome } from './stage.ts';
export { parseBuildpackArg, type BuildpackSpec } from './buildpack-source.ts';
export { depsIndex } from '../../platform/phases.ts';
export type { StagingResultJson, StagingInfo, BuilderFlavor } from './builder.ts';
