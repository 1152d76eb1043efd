// The staging scenarios of the fixture buildpacks, shared by the unwrapped and wrapped tests.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stage, type StageOutcome } from '../../../src/lifecycle/stage/index.ts';
import { fixtures, tmp } from './helpers.ts';

export interface Scenario {
  name: string;
  app: string;
  /** buildpack fixture folder names, in order; the key is the folder name. */
  buildpacks: string[];
  skipDetect: boolean;
  env?: Record<string, string>;
  exitCode: number;
  /** the builder's last line on failure. */
  error?: string;
}

export const bpDir = (name: string) => join(fixtures, 'buildpacks', name);
export const appDir = (name: string) => join(fixtures, 'apps', name);

export const scenarios: Scenario[] = [
  { name: 'full buildpack, detect mode', app: 'node-app', buildpacks: ['compile-only', 'full'], skipDetect: false, exitCode: 0 },
  { name: 'compile-only (Heroku style), detect mode', app: 'plain', buildpacks: ['full', 'compile-only'], skipDetect: false, exitCode: 0 },
  { name: 'supply-only then full, named', app: 'node-app', buildpacks: ['supply-only', 'full'], skipDetect: true, exitCode: 0 },
  {
    name: 'supply-only then compile-only, named',
    app: 'plain',
    buildpacks: ['supply-only', 'compile-only'],
    skipDetect: true,
    exitCode: 0,
  },
  { name: 'launch.yml instead of release', app: 'node-app', buildpacks: ['supply-only', 'launch'], skipDetect: true, exitCode: 0 },
  { name: 'Procfile over release', app: 'procfile-app', buildpacks: ['full'], skipDetect: false, exitCode: 0 },
  {
    name: 'detect: none matches',
    app: 'plain',
    buildpacks: ['full'],
    skipDetect: false,
    exitCode: 222,
    error: 'None of the buildpacks detected a compatible application',
  },
  {
    name: 'supply of a non-last buildpack fails',
    app: 'node-app',
    buildpacks: ['supply-only', 'full'],
    skipDetect: true,
    env: { FAIL_PHASE: 'supply-only' },
    exitCode: 225,
    error: 'Failed to run all supply scripts: exit status 7',
  },
  {
    name: 'supply of the last buildpack fails',
    app: 'node-app',
    buildpacks: ['supply-only', 'full'],
    skipDetect: true,
    env: { FAIL_PHASE: 'supply' },
    exitCode: 223,
    error: 'Failed to compile droplet: Failed to run all supply scripts: exit status 3',
  },
  {
    name: 'finalize fails',
    app: 'node-app',
    buildpacks: ['full'],
    skipDetect: false,
    env: { FAIL_PHASE: 'finalize' },
    exitCode: 223,
    error: 'Failed to compile droplet: Failed to run finalize script: exit status 4',
  },
  {
    name: 'compile fails',
    app: 'plain',
    buildpacks: ['compile-only'],
    skipDetect: false,
    env: { FAIL_PHASE: 'compile' },
    exitCode: 223,
    error: 'Failed to compile droplet: Failed to compile droplet: exit status 6',
  },
  {
    name: 'release fails',
    app: 'node-app',
    buildpacks: ['full'],
    skipDetect: true,
    env: { FAIL_PHASE: 'release' },
    exitCode: 224,
    error: 'Failed to build droplet release: exit status 5',
  },
  {
    name: 'a non-last buildpack without bin/supply',
    app: 'plain',
    buildpacks: ['compile-only', 'full'],
    skipDetect: true,
    exitCode: 225,
    error: 'Error: one of the buildpacks chosen to supply dependencies does not support multi-buildpack apps',
  },
];

/** Stages a scenario with the buildpack folders `dirOf` gives (the fixtures themselves by default), as the builder does. */
export async function stageScenario(
  s: Scenario,
  dirOf: (bp: string) => string = bpDir,
  out = tmp(),
): Promise<StageOutcome & { log: string }> {
  const o = await stage({
    appDir: appDir(s.app),
    buildpacks: s.buildpacks.map((b) => ({ key: b, path: dirOf(b) })),
    skipDetect: s.skipDetect,
    stack: 'cflinuxfs4',
    outDir: out,
    path: process.env.PATH ?? '/usr/bin:/bin',
    home: process.env.HOME ?? '/tmp',
    tmpRoot: tmp(),
    env: s.env,
  });
  return { ...o, log: readFileSync(o.logPath, 'utf8') };
}
