// Maven version ranges (https://maven.apache.org/pom.html#Dependency_Version_Requirement_Specification): `[1.0,2.0)`,
// `(,1.0],[1.2,)`, `[1.5]`; a bare version means exactly it here (a query names versions, not a soft requirement).
import { intervals } from '../range-syntax.ts';
import type { RangeSyntax } from '../types.ts';
import { compareMaven } from './index.ts';

export const mavenRange: RangeSyntax = (range) => intervals(range, compareMaven, false);
