// bpx fleet buildpacks [--outdated NAME=VERSION ...]: which buildpacks staged each app; with --outdated, the restage list.
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, json, openStore, printRows, where } from './common.ts';

export async function buildpacks(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('fleet', {
    args: argv,
    options: { ...DB_OPTION, outdated: { type: 'string', multiple: true }, json: { type: 'boolean', default: false } },
    allowPositionals: false,
  });
  const { outdated, parseOutdated } = await import('../../fleet/buildpacks.ts');
  let rules;
  try {
    rules = (values.outdated ?? []).map(parseOutdated);
  } catch (e) {
    throw new CliError(`fleet buildpacks: ${(e as Error).message}`);
  }
  const store = await openStore(values.db, io);
  try {
    const apps = await store.currentBuildpacks();
    const name = (a: { org: string | null; space: string | null; app: string }) => where(a);
    apps.sort((a, b) => name(a).localeCompare(name(b)));
    if (rules.length) {
      const list = outdated(apps, rules);
      if (values.json) {
        json(io, {
          outdated: list.map((o) => ({
            org: o.app.org,
            space: o.app.space,
            app: o.app.app,
            appGuid: o.app.appGuid,
            droplet: o.app.dropletId,
            buildpack: o.buildpack,
            wanted: o.wanted,
            reason: o.reason,
          })),
        });
      } else if (!list.length) io.stdout.write('no app staged with an older buildpack\n');
      else
        printRows(
          io,
          ['ORG/SPACE/APP', 'BUILDPACK', 'VERSION', 'WANTED', 'STAGED'],
          list.map((o) => [
            name(o.app),
            o.buildpack.key ?? o.buildpack.name ?? '',
            o.buildpack.version ?? '?',
            o.wanted,
            o.app.stagedAt ?? '',
          ]),
        );
      return 0;
    }
    if (values.json)
      json(io, {
        apps: apps.map((a) => ({
          org: a.org,
          space: a.space,
          app: a.app,
          appGuid: a.appGuid,
          droplet: a.dropletId,
          stagedAt: a.stagedAt,
          buildpacks: a.buildpacks,
        })),
      });
    else if (!apps.length) io.stdout.write('the inventory holds no droplets\n');
    else {
      const rows: string[][] = [];
      for (const a of apps) {
        if (!a.buildpacks.length) rows.push([name(a), '', '-', '', '', '']);
        for (const b of a.buildpacks)
          rows.push([name(a), String(b.position), b.key ?? '', b.name ?? '', b.version ?? '', b.detectLine ?? '']);
      }
      printRows(io, ['ORG/SPACE/APP', '#', 'KEY', 'NAME', 'VERSION', 'DETECTED'], rows);
    }
    return 0;
  } finally {
    await store.close();
  }
}
