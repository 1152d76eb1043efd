// The environment Cloud Controller gives the builder, and so every buildpack script (cf-builder recordings README).

export interface StagingEnvInput {
  /** the app's name (VCAP_APPLICATION application_name); bpx uses the app folder's name. */
  appName: string;
  stack: string;
  /** PATH and HOME come from the caller's environment. */
  path: string;
  home: string;
  tmpDir: string;
  /** MEMORY_LIMIT as CF sets it for staging, e.g. "1024m". */
  memoryLimit?: string;
  /** `--env K=V` values, applied last (they may replace any of the above). */
  extra?: Readonly<Record<string, string>>;
}

/** PATH HOME LANG CF_STACK MEMORY_LIMIT VCAP_APPLICATION VCAP_SERVICES TMPDIR, then the extra values. */
export function stagingEnv(input: StagingEnvInput): Record<string, string> {
  const env: Record<string, string> = {
    PATH: input.path,
    HOME: input.home,
    LANG: 'en_US.UTF-8',
    CF_STACK: input.stack,
    MEMORY_LIMIT: input.memoryLimit ?? '1024m',
    VCAP_APPLICATION: JSON.stringify({
      application_name: input.appName,
      name: input.appName,
      limits: { mem: megabytes(input.memoryLimit) },
    }),
    VCAP_SERVICES: '{}',
    TMPDIR: input.tmpDir,
  };
  return { ...env, ...(input.extra ?? {}) };
}

/** "512m" → 512, "2g" → 2048, "1024" → 1024 (CF's MEMORY_LIMIT is in MB unless a unit says otherwise). */
function megabytes(limit: string | undefined): number {
  const m = /^(\d+)([mMgG]?)$/.exec(limit ?? '');
  if (!m) return 1024;
  return Number(m[1]) * (m[2].toLowerCase() === 'g' ? 1024 : 1);
}
