// bpx fleet restage [--stack S] [--buildpack B] [--current NAME=VERSION]: the apps to restage, by org and space.
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, isTable, json, openStore, printRows } from './common.ts';

/** RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function restage(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('fleet', {
    args: argv,
    options: {
      ...DB_OPTION,
      stack: { type: 'string' },
      buildpack: { type: 'string', multiple: true },
      current: { type: 'string', multiple: true },
      json: { type: 'boolean', default: false },
      csv: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values.json && values.csv) throw new CliError('fleet restage: give --json or --csv, not both');
  const { restageList, parseCurrent } = await import('../../fleet/restage.ts');
  const current = new Map<string, string>();
  try {
    for (const c of values.current ?? []) {
      const [k, v] = parseCurrent(c);
      current.set(k, v);
    }
  } catch (e) {
    throw new CliError(`fleet restage: ${(e as Error).message}`);
  }
  const store = await openStore(values.db, io);
  try {
    const groups = await restageList(store, {
      ...(values.stack ? { stack: values.stack } : {}),
      buildpacks: values.buildpack ?? [],
      current,
    });
    const entries = groups.flatMap((g) => g.entries);
    const row = (e: (typeof entries)[number]) => [
      e.org ?? '',
      e.space ?? '',
      e.app,
      e.buildpack ?? '',
      e.stack ?? '',
      e.staged?.version ?? '',
      e.staged?.source ?? '',
      e.installed?.version ?? '',
      e.installed?.source ?? '',
      e.reason,
      e.command,
    ];
    const header = [
      'ORG',
      'SPACE',
      'APP',
      'BUILDPACK',
      'STACK',
      'STAGED',
      'STAGED FROM',
      'INSTALLED',
      'INSTALLED FROM',
      'REASON',
      'COMMAND',
    ];
    if (values.json) {
      json(io, {
        groups,
        summary: { apps: new Set(entries.map((e) => e.appGuid ?? `${e.org}/${e.space}/${e.app}`)).size, entries: entries.length },
      });
    } else if (values.csv) {
      io.stdout.write([header, ...entries.map(row)].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n');
    } else if (!entries.length) {
      io.stdout.write('no app needs restaging\n');
    } else if (isTable(io)) {
      // grouped: the target line, then its apps
      for (const g of groups) {
        io.stdout.write(`${g.org ?? '-'}/${g.space ?? '-'}${g.target ? `    ${g.target}` : ''}\n`);
        printRows(
          io,
          ['  APP', 'BUILDPACK', 'STACK', 'STAGED', 'INSTALLED', 'REASON', 'COMMAND'],
          g.entries.map((e) => [
            `  ${e.app}`,
            e.buildpack ?? '',
            e.stack ?? '',
            e.staged ? `${e.staged.version} (${e.staged.source})` : '?',
            e.installed ? `${e.installed.version} (${e.installed.source})` : '',
            e.reason,
            e.command,
          ]),
        );
      }
    } else {
      printRows(io, header, entries.map(row));
    }
    return 0;
  } finally {
    await store.close();
  }
}
