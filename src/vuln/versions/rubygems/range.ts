// RubyGems requirements (Gem::Requirement) via @renovatebot/ruby-semver: `~> 2.2.0`, `>= 1.10, < 2`.
import { satisfies } from '@renovatebot/ruby-semver';
import type { RangeSyntax } from '../types.ts';

export const rubygemsRange: RangeSyntax = (range) => {
  if (!/^\s*(?:(?:[<>=!~]=?|~>)?\s*[0-9][0-9A-Za-z.-]*\s*,?\s*)+$/.test(range)) throw new Error(`not a RubyGems requirement: ${range}`);
  return (v) => {
    try {
      return satisfies(v, range);
    } catch {
      return false;
    }
  };
};
