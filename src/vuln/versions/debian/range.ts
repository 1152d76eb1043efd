// Debian (and Ubuntu) version ranges as comparator lists over dpkg's order: `>=1:2.3-1 <3 || =4.0-1`.
import { comparators } from '../range-syntax.ts';
import type { RangeSyntax } from '../types.ts';
import { compareDebian } from './index.ts';

export const debianRange: RangeSyntax = (range) => comparators(range, compareDebian);
