// bpx fleet query --package PURL [--range R] [--all-droplets]: which apps ship a package in a version range.
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, json, openStore, printRows, where } from './common.ts';

export async function query(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('fleet', {
    args: argv,
    options: {
      ...DB_OPTION,
      package: { type: 'string' },
      range: { type: 'string' },
      'all-droplets': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  void positionals;
  if (!values.package) throw new CliError('fleet query: --package PURL is required (pkg:npm/bcrypt)');
  const { packageQuery } = await import('../../vuln/scan/query.ts');
  try {
    packageQuery(values.package, values.range);
  } catch (e) {
    throw new CliError(`fleet query: ${(e as Error).message}`);
  }
  const store = await openStore(values.db, io);
  try {
    const { queryInventory } = await import('../../fleet/query.ts');
    const hits = await queryInventory(store, values.package, values.range, values['all-droplets'] === true);
    if (values.json) {
      json(io, {
        matches: hits.map((h) => ({
          org: h.org,
          space: h.space,
          app: h.app,
          appGuid: h.appGuid,
          droplet: h.dropletId,
          digest: h.digest,
          current: h.current,
          purl: h.purl,
          version: h.version,
          scope: h.scope,
          paths: h.paths,
        })),
      });
    } else if (!hits.length) io.stdout.write('no matches\n');
    else {
      const all = values['all-droplets'] === true;
      printRows(
        io,
        ['ORG/SPACE/APP', ...(all ? ['DROPLET'] : []), 'PACKAGE', 'VERSION', 'SCOPE', 'PATHS'],
        hits.map((h) => [
          where(h),
          ...(all ? [`${h.dropletId}${h.current ? ' (current)' : ''}`] : []),
          h.purl.replace(/@[^@/]*$/, ''),
          h.version,
          h.scope,
          h.paths.join(', '),
        ]),
      );
    }
    return 0;
  } finally {
    await store.close();
  }
}
