// Command-line options with node:util parseArgs; a bad option is a usage error (exit 2) in bpx's own words, one line
// that names the flag and points at --help (never Node's "To specify a positional argument starting with a '-'...").
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from './io.ts';

/** `hidden`: old spellings still accepted (e.g. `out` for `-o/--output`) that a did-you-mean hint never offers. */
export function parseCommandArgs<T extends ParseArgsConfig>(
  command: string,
  config: T,
  hidden: readonly string[] = [],
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    const { text, hint } = describeArgError(err, config, hidden);
    throw new CliError(`${text} (${hint ? `${hint}; ` : ''}run bpx ${command} --help)`);
  }
}

/** What went wrong, in bpx's words, and a hint: `unknown option --dbb`, `did you mean --db?`. */
export function describeArgError(err: unknown, config: ParseArgsConfig, hidden: readonly string[] = []): { text: string; hint?: string } {
  const e = err as NodeJS.ErrnoException;
  const message = e instanceof Error ? e.message : String(err);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const options = config.options ?? {};
  switch (e?.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      // "Unknown option '--x'. To specify a positional argument starting with a '-', ..." → "unknown option --x"
      const near = closest(
        quoted.replace(/^-+/, '').replace(/=.*/, ''),
        Object.keys(options).filter((o) => !hidden.includes(o)),
      );
      return { text: `unknown option ${printable(quoted)}`, hint: near ? `did you mean --${near}?` : undefined };
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      // "Option '-o, --output <value>' argument missing" / "Option '--json' does not take an argument" /
      // "Option '--db' argument is ambiguous. Did you forget to specify the option argument for '--db'? ..."
      const flag = flagOf(quoted);
      if (/does not take an argument/.test(message)) return { text: `${flag} takes no value` };
      if (/ambiguous/.test(message))
        return { text: `${flag} needs a value`, hint: `write ${flag.split('/').pop()}=VALUE for a value that starts with -` };
      return { text: `${flag} needs a value` };
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return { text: `unexpected argument '${printable(quoted)}'`, hint: 'this command takes options only' };
    default:
      return { text: printable(message.split('\n')[0] ?? 'bad arguments') };
  }
}

/** `-o, --output <value>` → `-o/--output`; `--db <value>` → `--db`. */
function flagOf(spec: string): string {
  return spec
    .replace(/\s*<value>/, '')
    .split(/,\s*/)
    .join('/');
}

/** One short line: control characters escaped, long arguments cut. */
function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  const t = s.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

/**
 * The known name nearest to `name`, for a did-you-mean hint: one edit away (a letter added, dropped, changed, or two
 * swapped) for names of 3 or 4 letters, two for longer ones, or a prefix of it (`--requ` → `--require-signature`).
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const limit = name.length < 3 ? 0 : name.length <= 4 ? 1 : 2;
  let best: string | undefined;
  let bestD = limit + 1;
  for (const k of known) {
    const d = name.length >= 3 && k.startsWith(name) ? 1 : distance(name, k);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best;
}

/** Optimal string alignment distance: Levenshtein plus swapping two neighbours as one edit (`scna` → `scan`: 1). */
function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
