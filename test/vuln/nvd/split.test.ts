// Reading a feed record by record (src/vuln/nvd/split.ts): the walk agrees with JSON.parse on tricky JSON, and a large
// page loads to exactly what parsing it whole gives.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { objectMembers, parseMembers, topLevelArrayItems } from '../../../src/vuln/nvd/split.ts';
import { buildNvdDb, loadNvdDb } from '../../../src/vuln/nvd/index.ts';
import { needShared, sharedDir } from '../../shared.ts';

const corpus = process.env.BPX_NVD_CORPUS ?? join(sharedDir, 'corpus', 'nvd');

test('top-level array items: strings with brackets, braces, escaped quotes and backslashes; the key anywhere', () => {
  const doc = {
    format: 'NVD_CVE',
    note: 'a "quoted" } ] [ { string \\ with a backslash\\',
    nested: { vulnerabilities: ['not', 'this one'] },
    vulnerabilities: [{ cve: { id: 'CVE-1', d: 'x"]}' } }, { cve: { id: 'CVE-2', n: [1, 2.5e3, true, null, { a: [] }] } }, 'plain', 7],
    after: 1,
  };
  for (const text of [JSON.stringify(doc), JSON.stringify(doc, null, 2), `\ufeff${JSON.stringify(doc)}`]) {
    const buf = Buffer.from(text);
    const items = topLevelArrayItems(buf, 'vulnerabilities')!;
    assert.equal(
      items.map(([a, b]) => JSON.parse(buf.toString('utf8', a, b))),
      doc.vulnerabilities,
    );
    const m = objectMembers(buf, items[0]![0], items[0]![1])!;
    assert.equal([...m.keys()], ['cve']);
    const cve = m.get('cve')!;
    assert.equal(parseMembers(buf, cve[0], cve[1], new Set(['id'])), { id: 'CVE-1' });
  }
  assert.equal(topLevelArrayItems(Buffer.from('{"vulnerabilities": []}'), 'vulnerabilities'), []);
  assert.is(topLevelArrayItems(Buffer.from('[1, 2]'), 'vulnerabilities'), undefined);
  assert.is(topLevelArrayItems(Buffer.from('{"a": 1}'), 'vulnerabilities'), undefined);
  assert.is(topLevelArrayItems(Buffer.from('{"vulnerabilities": [{"cve": {"id": "x"'), 'vulnerabilities'), undefined, 'cut short');
  const escaped = Buffer.from('{"a\\u0062": [1], "c": {"d": "}"}}');
  const members = objectMembers(escaped, 0, escaped.length)!;
  assert.equal(
    [...members].map(([k, [a, b]]) => [k, JSON.parse(escaped.toString('utf8', a, b))]),
    [
      ['ab', [1]],
      ['c', { d: '}' }],
    ],
  );
});

test('a page larger than the split threshold loads record by record to what parsing it whole gives', async () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const work = mkdtempSync(join(tmpdir(), 'bpx-nvd-split-'));
  try {
    const real = readdirSync(join(corpus, 'records'))
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((n) => JSON.parse(readFileSync(join(corpus, 'records', n), 'utf8')));
    const cves = Array.from({ length: 1000 }, (_, i) => ({
      ...real[i % real.length],
      id: i < real.length ? real[i].id : `CVE-2099-${10000 + i}`,
    }));
    const page = {
      resultsPerPage: cves.length,
      startIndex: 0,
      totalResults: cves.length,
      format: 'NVD_CVE',
      version: '2.0',
      timestamp: '2026-01-01T00:00:00.000',
      vulnerabilities: cves.map((cve) => ({ cve })),
    };
    const text = JSON.stringify(page);
    assert.ok(text.length > 4 * 1024 * 1024, `${text.length} bytes: above the split threshold`);
    writeFileSync(join(work, 'nvdcve-2.0-2099.json.gz'), gzipSync(text));
    const split = await loadNvdDb(join(work, 'nvdcve-2.0-2099.json.gz'));
    const whole = buildNvdDb('whole', [{ path: 'x', data: page }]);
    assert.equal([...split.advisories.keys()], [...whole.advisories.keys()]);
    assert.equal([...split.advisories.values()], [...whole.advisories.values()]);
    assert.equal([split.unanalysed, split.rejected, split.newest, split.skipped], [whole.unanalysed, whole.rejected, whole.newest, []]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});

test.run();
