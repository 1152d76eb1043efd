// Re-exports of the SBOM library: documents (CycloneDX 1.6, SPDX 2.3), DSSE/in-toto signing, droplet verification.
export { buildModel, type SbomFacts, type SbomModel, type BuildpackFact, type AppFact } from './model.ts';
export { toCycloneDx, writeCycloneDx } from './formats/cyclonedx.ts';
export { toSpdx, writeSpdx } from './formats/spdx.ts';
export { appFromVcap, readBuildpacks, parseSourceDateEpoch } from './facts.ts';
export { FILE_NAMES, writeOutputs, formatTree, parseTree, type Format } from './outputs.ts';
export { stageSbom, isLastPhase, type StageSbomInput, type StageSbomResult } from './stage.ts';
export { verifyDroplet, type VerifyResult, type VerifyFailure, type FailureCode } from './verify.ts';
export { preAuthEncoding, signEnvelope, INTOTO_PAYLOAD_TYPE, type DsseEnvelope } from './sign/dsse.ts';
export { makeStatement, STATEMENT_TYPE, CYCLONEDX_PREDICATE, type Statement } from './sign/statement.ts';
export { createLocalSigner, loadPublicKey, verifySignature, generateKeyPair, keyIdOf, type KeyType } from './sign/keys.ts';
export type { Signer } from './sign/signer.ts';
