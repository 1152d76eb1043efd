// A scan of the prebuilt OSV index loads only what it needs (src/vuln/osv/source.ts, db-index.ts): the severities are
// those the build rated (format 3), so the CVSS calculator is never set up, and the YAML parser only when a YAML
// record is asked for whole. This file runs in a process of its own (scripts/test.mjs): nothing else loaded them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { needCorpus, osvDir, repoRoot } from './corpus.ts';
import { makeComponent } from '../../src/model/index.ts';

const require = createRequire(import.meta.url);
const calculatorFile = require.resolve('ae-cvss-calculator');
const yamlFile = require.resolve('yaml');

test('findings from the index carry the severities the records give, with neither the CVSS calculator nor YAML loaded', async () => {
  if (!needCorpus()) return;
  const dir = mkdtempSync(join(tmpdir(), 'bpx-osv-index-lazy-'));
  try {
    const index = join(dir, 'osv.index');
    // built in a child process: the build itself scores every vector
    const b = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(repoRoot, 'src/cli/bin.ts'), 'db', 'build', '--osv', osvDir, '-o', index],
      {
        encoding: 'utf8',
      },
    );
    assert.is(b.status, 0, b.stderr);
    const { openOsvDb } = await import('../../src/vuln/osv/db-index.ts');
    const { matchComponents } = await import('../../src/vuln/osv/match.ts');
    const opened = await openOsvDb(index);
    assert.ok(opened.index?.used, opened.index?.why);
    const loc = { path: 'x', source: 'lockfile' } as const;
    const components = [
      makeComponent({ ecosystem: 'npm', name: 'minimist', version: '1.2.5', location: loc }),
      makeComponent({ ecosystem: 'pypi', name: 'django', version: '1.9.6', location: loc }),
      makeComponent({ ecosystem: 'pypi', name: 'gunicorn', version: '19.4.5', location: loc }),
    ];
    const fromIndex = matchComponents(components, opened.db);
    assert.is(fromIndex.find((f) => f.id === 'GHSA-xvch-5gv4-984h')?.severity, 'critical');
    assert.ok(fromIndex.length > 3, `${fromIndex.length} findings`);
    assert.not.ok(require.cache[calculatorFile], 'the CVSS calculator was loaded');
    assert.not.ok(require.cache[yamlFile], 'the YAML parser was loaded');
    // a YAML record asked for whole loads the parser then
    const y = opened.db.records.get('PYSEC-2023-192');
    assert.is(y?.modified, '2023-10-10T14:28:19.389317Z');
    assert.ok(require.cache[yamlFile], 'YAML record read without the parser');
    // the same findings, severities included, as the records scored now
    const { loadOsvDb } = await import('../../src/vuln/osv/load.ts');
    assert.equal(fromIndex, matchComponents(components, await loadOsvDb(osvDir)));
    assert.ok(require.cache[calculatorFile], 'the full load scored no vector');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
