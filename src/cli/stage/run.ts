// What `bpx stage` runs: its help and summary are in src/cli/commands/stage.ts, so that `bpx stage --help` loads
// none of this.
import { tmpdir } from 'node:os';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError, type Io } from '../io.ts';
import { parseBuildpackArg, stage, StageInputError, StageInterrupted } from '../../lifecycle/stage/index.ts';

export async function runStage(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs(
    'stage',
    {
      args: argv,
      options: {
        app: { type: 'string' },
        buildpack: { type: 'string', multiple: true },
        'skip-detect': { type: 'boolean' },
        stack: { type: 'string' },
        env: { type: 'string', multiple: true },
        'memory-limit': { type: 'string' },
        builder: { type: 'string' },
        cache: { type: 'string' },
        out: { type: 'string' },
        output: { type: 'string', short: 'o' },
        json: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
      // --out: the spelling before -o/--output became every command's, still accepted
    },
    ['out'],
  );
  if (!values.app) throw new CliError('--app DIR is required');
  const out = values.output ?? values.out;
  if (!out) throw new CliError('-o/--output DIR is required');
  const builder = values.builder ?? 'current';
  if (builder !== 'current' && builder !== 'legacy') throw new CliError(`--builder ${builder}: expected current or legacy`);
  if (values['memory-limit'] !== undefined && !/^[1-9]\d*[mMgG]?$/.test(values['memory-limit'])) {
    throw new CliError(`--memory-limit ${values['memory-limit']}: expected a size such as 512m or 2g`);
  }
  if (!values.buildpack?.length) throw new CliError('at least one --buildpack [KEY=]DIR|ZIP is required');
  const extra: Record<string, string> = {};
  const sde = io.env.SOURCE_DATE_EPOCH;
  let sourceDateEpoch: number | undefined;
  if (sde !== undefined && sde !== '') {
    if (!/^\d+$/.test(sde)) throw new CliError(`SOURCE_DATE_EPOCH must be whole seconds, got '${sde}'`);
    sourceDateEpoch = Number(sde);
    extra.SOURCE_DATE_EPOCH = sde;
  }
  for (const kv of values.env ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new CliError(`--env ${kv}: expected K=V`);
    extra[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const json = Boolean(values.json);
  // Ctrl-C / SIGTERM: stop the running script's process group, remove the work folder, keep only the log.
  const abort = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => () => {
    stoppedBy ??= sig;
    abort.abort();
  };
  const handlers = { SIGINT: onSignal('SIGINT'), SIGTERM: onSignal('SIGTERM') };
  process.on('SIGINT', handlers.SIGINT);
  process.on('SIGTERM', handlers.SIGTERM);
  let outcome;
  try {
    outcome = await stage({
      appDir: values.app,
      buildpacks: values.buildpack.map((b) => parseBuildpackArg(b)),
      skipDetect: Boolean(values['skip-detect']),
      builder,
      cacheDir: values.cache,
      stack: values.stack ?? 'cflinuxfs4',
      outDir: out,
      path: io.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      home: io.env.HOME ?? '/home/vcap',
      tmpRoot: io.env.TMPDIR || tmpdir(),
      env: extra,
      memoryLimit: values['memory-limit'],
      sourceDateEpoch,
      onLog: json ? undefined : (text) => io.stdout.write(text),
      signal: abort.signal,
    });
  } catch (e) {
    if (e instanceof StageInputError) throw new CliError(e.message);
    if (e instanceof StageInterrupted) {
      io.stderr.write('bpx stage: interrupted\n');
      return stoppedBy === 'SIGTERM' ? 143 : 130;
    }
    throw e;
  } finally {
    process.off('SIGINT', handlers.SIGINT);
    process.off('SIGTERM', handlers.SIGTERM);
  }
  if (json) {
    io.stdout.write(
      `${JSON.stringify(
        {
          exitCode: outcome.exitCode,
          error: outcome.error ?? null,
          detectedBuildpack: outcome.result.lifecycle_metadata.detected_buildpack,
          buildpackKey: outcome.result.lifecycle_metadata.buildpack_key ?? null,
          droplet: outcome.dropletPath ?? null,
          result: outcome.resultPath ?? null,
          log: outcome.logPath,
          warnings: outcome.notes,
        },
        null,
        2,
      )}\n`,
    );
  } else {
    const lm = outcome.result.lifecycle_metadata;
    const lines = ['', outcome.exitCode === 0 ? 'Staging complete' : `Staging failed (exit ${outcome.exitCode})`];
    lines.push(`  detected buildpack: ${lm.detected_buildpack || '(none)'}${lm.buildpack_key ? ` [key ${lm.buildpack_key}]` : ''}`);
    if (outcome.result.process_types?.web) lines.push(`  start command:      ${outcome.result.process_types.web}`);
    if (outcome.dropletPath) lines.push(`  droplet:            ${outcome.dropletPath}`);
    lines.push(
      `  result:             ${outcome.resultPath ?? '(none: the builder writes no result file here)'}`,
      `  staging log:        ${outcome.logPath}`,
    );
    for (const note of outcome.notes) lines.push(`warning: ${note}`);
    io.stderr.write(`${lines.join('\n')}\n`);
  }
  return outcome.exitCode;
}
