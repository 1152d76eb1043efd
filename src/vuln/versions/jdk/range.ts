// Ranges over Java SE versions: comparator lists (`>=11.0.0 <11.0.22`), as NVD bounds read.
import { comparators } from '../range-syntax.ts';
import type { RangeSyntax } from '../types.ts';
import { compareJdk } from './index.ts';

export const jdkRange: RangeSyntax = (range) => comparators(range, compareJdk);
