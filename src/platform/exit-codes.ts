// Every exit code bpx uses, in one table: the CF builder's (buildpackapplifecycle errors.go ExitCodeFromError), the
// wrapper's, and the CLI's. `--help` texts are generated from it, so a code is documented where it is defined.

export interface ExitCode {
  code: number;
  /** who exits with it: the builder (and so `bpx stage`), a wrapped phase, or any bpx command. */
  by: 'builder' | 'wrapper' | 'cli';
  meaning: string;
}

/** The builder's codes, by what failed (`bpx stage` exits with them as Cloud Foundry's builder does). */
export const BUILDER_EXIT = {
  /** the builder itself failed outside any buildpack script, e.g. it could not encode its result */
  lifecycle: 1,
  detect: 222,
  compile: 223,
  release: 224,
  supply: 225,
} as const;

/** A wrapped phase: the inner script's own code passes through; these two are the wrapper's. */
export const WRAPPER_EXIT = {
  extensionFailed: 86,
  wrapperBroken: 87,
} as const;

/** Any bpx command. */
export const CLI_EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  internal: 70,
  interrupted: 130,
  terminated: 143,
} as const;

export const EXIT_CODES: readonly ExitCode[] = [
  { code: CLI_EXIT.ok, by: 'cli', meaning: 'done' },
  {
    code: BUILDER_EXIT.lifecycle,
    by: 'builder',
    meaning: 'the builder could not write its result (an output_metadata value it cannot encode)',
  },
  {
    code: CLI_EXIT.failed,
    by: 'cli',
    meaning: 'the check failed (findings at --fail-on, an invalid signature, a target that could not be read)',
  },
  { code: CLI_EXIT.usage, by: 'cli', meaning: 'bad arguments or input (the message names the flag or file)' },
  { code: CLI_EXIT.internal, by: 'cli', meaning: 'a bug in bpx (please report it with the message)' },
  { code: WRAPPER_EXIT.extensionFailed, by: 'wrapper', meaning: 'an extension with onFailure: fail failed' },
  { code: WRAPPER_EXIT.wrapperBroken, by: 'wrapper', meaning: 'the wrapper is broken (its operator manifest is missing or invalid)' },
  { code: CLI_EXIT.interrupted, by: 'cli', meaning: 'interrupted (SIGINT, Ctrl-C)' },
  { code: CLI_EXIT.terminated, by: 'cli', meaning: 'stopped (SIGTERM)' },
  { code: BUILDER_EXIT.detect, by: 'builder', meaning: 'no buildpack detected the app' },
  { code: BUILDER_EXIT.compile, by: 'builder', meaning: "compile or finalize failed (or the last buildpack's supply)" },
  { code: BUILDER_EXIT.release, by: 'builder', meaning: 'release failed or printed invalid YAML' },
  { code: BUILDER_EXIT.supply, by: 'builder', meaning: 'the supply of a non-last buildpack failed, or it has no bin/supply' },
];

/**
 * `--help` lines for the given codes, in that order: "  222  no buildpack detected the app". `override` replaces a
 * code's meaning where a command says it more precisely.
 */
export function exitCodeHelp(codes: readonly number[], override: Readonly<Record<number, string>> = {}, by?: ExitCode['by']): string {
  return codes
    .map((code) => {
      const row = EXIT_CODES.find((e) => e.code === code && (!by || e.by === by)) ?? EXIT_CODES.find((e) => e.code === code);
      if (!row && !override[code]) throw new Error(`exit code ${code} is not in the table`);
      return `  ${String(code).padEnd(4)} ${override[code] ?? row!.meaning}`;
    })
    .join('\n');
}
