// bpx fleet add TARGET...: droplets, folders of droplets, unpacked droplets and SBOM files into the inventory.
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Io } from '../io.ts';
import { CliError } from '../io.ts';
import { parseCommandArgs } from '../parse-args.ts';
import { DB_OPTION, json, openStore, printRows, rel, where, publicKeyFile } from './common.ts';

export async function add(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('fleet', {
    args: argv,
    options: {
      ...DB_OPTION,
      app: { type: 'string' },
      space: { type: 'string' },
      org: { type: 'string' },
      key: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (!positionals.length)
    throw new CliError('fleet add: give at least one TARGET (droplet, folder of droplets, unpacked droplet or SBOM file)');
  const key = values.key ? await publicKeyFile(path.resolve(io.cwd, values.key)) : undefined;
  const store = await openStore(values.db, io);
  const say = (line: string) => io.stderr.write(`bpx fleet add: ${line}\n`);
  try {
    const { addTargets } = await import('../../fleet/ingest/add.ts');
    const names = {
      ...(values.app ? { name: values.app } : {}),
      ...(values.space ? { spaceName: values.space } : {}),
      ...(values.org ? { orgName: values.org } : {}),
    };
    const bar = io.isTTY && !values.json;
    const events = await addTargets(
      store,
      positionals.map((p) => path.resolve(io.cwd, p)),
      {
        tmpDir: tmpdir(),
        names,
        ...(key ? { publicKey: key } : {}),
        onSkipped: (dir, why) => say(`warning: ${rel(io, dir)}: ${why}: not looked into`),
        onStart: (i, total, t) => {
          if (bar && total > 3) io.stderr.write(`\r${i + 1}/${total} ${path.basename(t).slice(0, 50)}\x1b[K`);
        },
      },
    );
    if (bar) io.stderr.write('\r\x1b[K');
    const count = (s: string) => events.filter((e) => e.status === s).length;
    const failedChecks = events.filter((e) => e.problems.length);
    if (values.json) {
      json(io, {
        droplets: events.map((e) => ({
          target: rel(io, e.target),
          status: e.status,
          ...(e.reason ? { reason: e.reason } : {}),
          ...(e.dropletId !== undefined ? { droplet: e.dropletId } : {}),
          ...(e.app
            ? { app: { org: e.app.orgName ?? null, space: e.app.spaceName ?? null, name: e.app.name, guid: e.app.guid ?? null } }
            : {}),
          ...(e.current !== undefined ? { current: e.current } : {}),
          ...(e.sbomSource ? { sbom: e.sbomSource, signature: e.signature, components: e.components } : {}),
          problems: e.problems,
          notes: e.notes,
        })),
        summary: { added: count('added'), unchanged: count('unchanged'), failed: count('failed'), failedChecks: failedChecks.length },
      });
    } else {
      printRows(
        io,
        ['TARGET', 'STATUS', 'APP', 'COMPONENTS', 'SBOM', 'SIGNATURE'],
        events.map((e) => [
          rel(io, e.target),
          e.status + (e.status === 'added' && e.current === false ? ' (history)' : ''),
          e.app ? where({ org: e.app.orgName, space: e.app.spaceName, app: e.app.name }) : '',
          e.components !== undefined ? String(e.components) : '',
          e.sbomSource ?? '',
          e.status === 'failed' ? `failed: ${e.reason}` : (e.signature ?? ''),
        ]),
      );
    }
    for (const e of events) {
      if (e.status === 'failed') say(`${rel(io, e.target)}: ${e.reason}`);
      for (const p of e.problems) say(`${rel(io, e.target)}: ${p}`);
      for (const n of e.notes) say(`${rel(io, e.target)}: note: ${n}`);
    }
    // statistics for the query planner once a batch has changed the tables' sizes noticeably
    if (count('added') >= 100) await store.optimize();
    const c = await store.counts();
    say(
      `${count('added')} added, ${count('unchanged')} unchanged, ${count('failed')} failed; the inventory holds ${c.droplets} droplets of ${c.apps} apps`,
    );
    return count('failed') || failedChecks.length ? 1 : 0;
  } finally {
    await store.close();
  }
}
