// The explicit list of package managers capture runs (one folder each under managers/; a test checks they match).
import type { PackageManager } from './types.ts';
import { cargo } from './managers/cargo/index.ts';
import { go } from './managers/go/index.ts';
import { gradle } from './managers/gradle/index.ts';
import { maven } from './managers/maven/index.ts';
import { nuget } from './managers/nuget/index.ts';
import { runtimes } from './managers/runtimes/index.ts';
import { npm } from './managers/npm/index.ts';
import { yarn } from './managers/yarn/index.ts';
import { pnpm } from './managers/pnpm/index.ts';
import { python } from './managers/python/index.ts';
import { bundler } from './managers/bundler/index.ts';
import { composer } from './managers/composer/index.ts';
import { tools } from './managers/tools/index.ts';

export const managers: PackageManager[] = [cargo, go, gradle, maven, nuget, runtimes, npm, yarn, pnpm, python, bundler, composer, tools];
