// SPDX license normalisation and policy: re-exports only.
export { parseExpression, toText, type Node } from './expression.ts';
export {
  type LicensePolicy,
  type LicenseViolation,
  type PackageException,
  type UnknownChoice,
  componentExpression,
  evaluateLicenses,
  globToRegExp,
  parsePolicy,
} from './policy.ts';
