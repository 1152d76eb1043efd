// bpx stage: stage an app locally exactly as Cloud Foundry's buildpack builder would (droplet, result.json, log).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import { tmpdir } from 'node:os';
import type { Command, Io } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { parseBuildpackArg, stage, StageInputError, StageInterrupted } from '../../lifecycle/stage/index.ts';

const help = `Usage: bpx stage --app DIR --buildpack [KEY=]DIR|ZIP [--buildpack ...] -o DIR [options]

Runs the whole Cloud Foundry buildpack staging locally, as Cloud Foundry's builder
(buildpackapplifecycle) does, and writes what it writes:
  OUT/droplet.tgz   ./app ./deps ./profile.d ./staging_info.yml ./tmp ./logs (only on success)
  OUT/result.json   the staging result, byte for byte as the builder writes it (lifecycle_metadata,
                    process_types, processes, sidecars); absent when nothing detected, empty when the
                    builder could not encode it
  OUT/staging.log   everything the builder and the buildpack scripts printed
The app folder is copied first and never modified. An earlier droplet.tgz and result.json in OUT
are removed first, so a failed staging never leaves them looking current.

By default bpx imitates today's builder (buildpackapplifecycle since Feb 2026): each buildpack's
config.yml output_metadata is copied into result.json, and a nested map there fails the staging
with exit 1 ("json: unsupported type: map[interface {}]interface {}"), as on Cloud Foundry.
--builder legacy imitates the builder before that change (output_metadata ignored). Where the
other builder would behave differently, a warning says so at the end.

Options:
  --app DIR                 the app to stage
  --buildpack [KEY=]PATH    a buildpack folder or .zip, in order; repeat for several.
                            KEY (what Cloud Controller calls the buildpack, reported in
                            result.json) defaults to the folder name or zip name without .zip
  --skip-detect             run the named buildpacks without detect (what \`cf push -b\` does):
                            supply for all but the last, supply+finalize or compile for the last
  --stack NAME              CF_STACK for the scripts (default cflinuxfs4)
  --env K=V                 extra environment for the scripts; repeatable, wins over defaults
  --memory-limit SIZE       MEMORY_LIMIT for the scripts (default 1024m; a number with m or g)
  --builder current|legacy  which Cloud Foundry builder to imitate (default current)
  --cache DIR               keep the build artifacts cache in DIR between stagings, as Cloud
                            Foundry does: final/ for the last buildpack, XXH64 of each other
                            buildpack's key; caches of buildpacks no longer named are deleted
  -o, --output DIR          where droplet.tgz, result.json and staging.log go
  --json                    print the outcome as JSON instead of the live log and summary
  -h, --help                this text

Scripts get PATH and HOME from this environment, LANG=en_US.UTF-8, CF_STACK,
MEMORY_LIMIT, VCAP_APPLICATION={"application_name":"<app folder name>",...},
VCAP_SERVICES={}, TMPDIR (a fresh folder), SOURCE_DATE_EPOCH when set here, then --env.
SOURCE_DATE_EPOCH also fixes every droplet entry's mtime (reproducible droplets).

Exit codes are the builder's, then bpx's:
${exitCodeHelp([0, 1, 222, 223, 224, 225, 2, 130, 143], { 0: 'staged' }, 'builder')}
Ctrl-C or SIGTERM stops the running script's whole process group (and a wrapped
buildpack's extensions), removes the work folder, writes no droplet or result and
prints "interrupted".
`;

const command: Command = {
  summary: 'stage an app locally as Cloud Foundry would: droplet.tgz, result.json, staging.log',
  help,
  async run(argv: string[], io: Io): Promise<number> {
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
  },
};
export default command;
