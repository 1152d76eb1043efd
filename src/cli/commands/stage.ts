// bpx stage: stage an app locally exactly as Cloud Foundry's buildpack builder would (droplet, result.json, log).
import { tmpdir } from 'node:os';
import type { Command, Io } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { CliError } from '../io.ts';
import { parseBuildpackArg, stage, StageInputError } from '../../lifecycle/stage/index.ts';

const help = `Usage: bpx stage --app DIR --buildpack [KEY=]DIR|ZIP [--buildpack ...] --out DIR [options]

Runs the whole Cloud Foundry buildpack staging locally, as Cloud Foundry's builder
(buildpackapplifecycle) does, and writes what it writes:
  OUT/droplet.tgz   ./app ./deps ./profile.d ./staging_info.yml ./tmp ./logs (only on success)
  OUT/result.json   the staging result (lifecycle_metadata, process_types, processes)
  OUT/staging.log   everything the builder and the buildpack scripts printed
The app folder is copied first and never modified.

Options:
  --app DIR                 the app to stage
  --buildpack [KEY=]PATH    a buildpack folder or .zip, in order; repeat for several.
                            KEY (what Cloud Controller calls the buildpack, reported in
                            result.json) defaults to the folder name or zip name without .zip
  --skip-detect             run the named buildpacks without detect (what \`cf push -b\` does):
                            supply for all but the last, supply+finalize or compile for the last
  --stack NAME              CF_STACK for the scripts (default cflinuxfs4)
  --env K=V                 extra environment for the scripts; repeatable, wins over defaults
  --memory-limit SIZE       MEMORY_LIMIT for the scripts (default 1024m)
  --out DIR                 where droplet.tgz, result.json and staging.log go
  --json                    print the outcome as JSON instead of the live log and summary
  -h, --help                this text

Scripts get PATH and HOME from this environment, LANG=en_US.UTF-8, CF_STACK,
MEMORY_LIMIT, VCAP_APPLICATION={"application_name":"<app folder name>",...},
VCAP_SERVICES={}, TMPDIR (a fresh folder), SOURCE_DATE_EPOCH when set here, then --env.
SOURCE_DATE_EPOCH also fixes every droplet entry's mtime (reproducible droplets).

Exit codes are the builder's: 0 staged, 222 no buildpack detected, 223 compile or
finalize failed (or the last buildpack's supply), 224 release failed, 225 a supply
of a non-last buildpack failed; 2 for bad arguments.
`;

const command: Command = {
  summary: 'stage an app locally as Cloud Foundry would: droplet.tgz, result.json, staging.log',
  help,
  async run(argv: string[], io: Io): Promise<number> {
    const { values } = parseCommandArgs('stage', {
      args: argv,
      options: {
        app: { type: 'string' },
        buildpack: { type: 'string', multiple: true },
        'skip-detect': { type: 'boolean' },
        stack: { type: 'string' },
        env: { type: 'string', multiple: true },
        'memory-limit': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
      },
      allowPositionals: false,
      strict: true,
    });
    if (!values.app) throw new CliError('--app DIR is required');
    if (!values.out) throw new CliError('--out DIR is required');
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
    let outcome;
    try {
      outcome = await stage({
        appDir: values.app,
        buildpacks: values.buildpack.map((b) => parseBuildpackArg(b)),
        skipDetect: Boolean(values['skip-detect']),
        stack: values.stack ?? 'cflinuxfs4',
        outDir: values.out,
        path: io.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
        home: io.env.HOME ?? '/home/vcap',
        tmpRoot: io.env.TMPDIR || tmpdir(),
        env: extra,
        memoryLimit: values['memory-limit'],
        sourceDateEpoch,
        onLog: json ? undefined : (text) => io.stdout.write(text),
      });
    } catch (e) {
      if (e instanceof StageInputError) throw new CliError(e.message);
      throw e;
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
            result: outcome.resultPath,
            log: outcome.logPath,
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
      lines.push(`  result:             ${outcome.resultPath}`, `  staging log:        ${outcome.logPath}`);
      io.stderr.write(`${lines.join('\n')}\n`);
    }
    return outcome.exitCode;
  },
};
export default command;
