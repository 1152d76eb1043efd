// Ranges over dotted numeric versions: comparator lists (`>=1.25.0 <1.25.4 || =1.23.1`), as NVD bounds read.
import { comparators } from '../range-syntax.ts';
import type { RangeSyntax } from '../types.ts';
import { compareNumeric } from './index.ts';

export const numericRange: RangeSyntax = (range) => comparators(range, compareNumeric);
