// bpx stage: stage an app locally exactly as Cloud Foundry's buildpack builder would (droplet, result.json, log).
// The help is all this file holds: `bpx stage --help` loads none of what the command runs (src/cli/stage/run.ts).
import { exitCodeHelp } from '../../platform/exit-codes.ts';
import type { Command } from '../io.ts';

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
  run: async (argv, io) => (await import('../stage/run.ts')).runStage(argv, io),
};
export default command;
