// Re-exports of the SBOM library: documents (CycloneDX 1.6, SPDX 2.3), DSSE/in-toto signing, droplet verification.
export { buildModel, type SbomFacts, type SbomModel, type BuildpackFact, type AppFact } from './model.ts';
export { toCycloneDx, writeCycloneDx, CYCLONEDX_PREDICATE } from './formats/cyclonedx.ts';
export { toSpdx, writeSpdx, SPDX_PREDICATE } from './formats/spdx.ts';
export {
  FORMATS,
  FORMAT_IDS,
  formatOfPredicate,
  isFormat,
  readSbom,
  type Format,
  type SbomFormat,
  type SbomInput,
  type BuildpackRecord,
} from './formats/index.ts';
export { appFromVcap, readBuildpacks, parseSourceDateEpoch } from './facts.ts';
export { FILE_NAMES, writeOutputs, formatTree, parseTree } from './outputs.ts';
export { stageSbom, isLastPhase, type StageSbomInput, type StageSbomResult } from './stage.ts';
export { verifyDroplet, type VerifyResult, type VerifyFailure, type FailureCode } from './verify.ts';
export { preAuthEncoding, signEnvelope, INTOTO_PAYLOAD_TYPE, type DsseEnvelope } from './sign/dsse.ts';
export { makeStatement, STATEMENT_TYPE, type Statement } from './sign/statement.ts';
export { createLocalSigner, loadPublicKey, verifySignature, generateKeyPair, keyIdOf, type KeyType } from './sign/keys.ts';
export type { Signer } from './sign/signer.ts';
