// PEP 440 version specifiers (https://peps.python.org/pep-0440/#version-specifiers) via @renovatebot/pep440: `>=1.9,<2.0`, `~=19.4`.
import pep440 from '@renovatebot/pep440';
import type { RangeSyntax } from '../types.ts';

export const pep440Range: RangeSyntax = (range) => {
  if (pep440.validRange(range) === false || pep440.validRange(range) === null) throw new Error(`not a PEP 440 specifier: ${range}`);
  return (v) => {
    try {
      return pep440.satisfies(v, range);
    } catch {
      return false;
    }
  };
};
