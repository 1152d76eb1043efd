// NuGet version ranges (https://learn.microsoft.com/nuget/concepts/package-versioning#version-ranges): `[5.0.0,5.1.3)`,
// `(,1.0]`; a bare version means at least it, as NuGet reads it.
import { intervals } from '../range-syntax.ts';
import type { RangeSyntax } from '../types.ts';
import { compareNuget } from './index.ts';

export const nugetRange: RangeSyntax = (range) => intervals(range, compareNuget, true);
