// The rehearsal bpx wrap runs before it writes the phase runtime's code caches (src/cli/phase-warm.ts): it must run
// to its end (a failure is swallowed by warm() and would only cost speed, unseen) and leave nothing behind.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rehearse } from '../../src/cli/phase-warm.ts';

test('the rehearsal captures, edits config.yml, reads a buildpack manifest and signs an SBOM in its own folder, then removes it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bpx-warm-test-'));
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  let made: Awaited<ReturnType<typeof rehearse>>;
  try {
    made = await rehearse();
  } finally {
    process.env.TMPDIR = saved;
  }
  assert.equal(made.components, ['pkg:npm/a@1.0.0']);
  assert.ok(made.files.some((f) => f.endsWith('.cdx.json')) && made.files.some((f) => f.endsWith('.spdx.json')), made.files.join(' '));
  assert.equal(readdirSync(dir), []);
});

test.run();
