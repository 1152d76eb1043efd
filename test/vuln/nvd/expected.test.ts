// Every row of ../shared/corpus/nvd/expected.tsv (201 real NVD cases) through the loader and the applicability matcher:
// `affected` (strict: only the queried product is present, a droplet runs on Linux) must agree on each row.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemeOfProduct } from '../../../src/model/cpe.ts';
import { SCHEMES } from '../../../src/vuln/versions/index.ts';
import { type NvdDb, applicable, loadNvdDb } from '../../../src/vuln/nvd/index.ts';
import { ProductIndex } from '../../../src/vuln/nvd/product-index.ts';
import { needShared, sharedDir } from '../../shared.ts';

// BPX_NVD_CORPUS overrides where the corpus is (the corpus README asks for a way to point elsewhere)
const corpus = process.env.BPX_NVD_CORPUS ?? join(sharedDir, 'corpus', 'nvd');

interface Row {
  product: string;
  version: string;
  cve: string;
  affected: boolean;
  status: string;
  line: number;
}

function rows(): Row[] {
  const lines = readFileSync(join(corpus, 'expected.tsv'), 'utf8').split('\n');
  const head = lines[0]!.split('\t');
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).flatMap((l, i) => {
    if (!l.trim()) return [];
    const f = l.split('\t');
    return [
      {
        product: f[col('cpe_product')]!,
        version: f[col('version')]!,
        cve: f[col('cve')]!,
        affected: f[col('affected')] === 'yes',
        status: f[col('vuln_status')]!,
        line: i + 2,
      },
    ];
  });
}

let db: NvdDb;

test('the corpus loads: Rejected dropped, records without configurations counted, nothing skipped', async () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  db = await loadNvdDb(join(corpus, 'records'));
  assert.equal(db.skipped, []);
  assert.is(db.rejected, 1);
  assert.not.ok(db.advisories.has('CVE-2023-52071'), 'Rejected CVE-2023-52071 is dropped');
  assert.is(db.unanalysed, 5, 'five Deferred records');
  assert.is(db.advisories.size, 36);
  assert.ok(db.advisories.get('CVE-2023-38552'), 'Undergoing Analysis with configurations is matched');
});

test('expected.tsv: every row agrees with its `affected` column', () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const all = rows();
  assert.is(all.length, 201);
  const wrong: string[] = [];
  for (const r of all) {
    const advisory = db.advisories.get(r.cve);
    const scheme = SCHEMES[schemeOfProduct(r.product)];
    const got = advisory ? applicable(advisory.configurations, { product: r.product, version: r.version, scheme }) !== undefined : false;
    if (!advisory && r.status !== 'Deferred' && r.status !== 'Rejected') wrong.push(`line ${r.line}: ${r.cve} (${r.status}) not loaded`);
    if (got !== r.affected)
      wrong.push(
        `line ${r.line}: ${r.product} ${r.version} ${r.cve}: want ${r.affected ? 'yes' : 'no'}, got ${got ? 'yes' : 'no'} (${scheme.id})`,
      );
  }
  assert.equal(wrong, []);
});

test('expected.tsv through the product index (what matching uses): the same answer on every row, with the same fixed versions', () => {
  if (!needShared(corpus, 'the NVD corpus')) return;
  const indexes = new Map<string, ProductIndex>();
  const wrong: string[] = [];
  for (const r of rows()) {
    const scheme = SCHEMES[schemeOfProduct(r.product)];
    let index = indexes.get(r.product);
    if (!index) indexes.set(r.product, (index = new ProductIndex(r.product, db.index.get(r.product) ?? [], scheme)));
    const hit = index.hits(r.version).find((h) => h.advisory.id === r.cve);
    if (!!hit !== r.affected) wrong.push(`line ${r.line}: ${r.product} ${r.version} ${r.cve}: want ${r.affected ? 'yes' : 'no'}`);
    const advisory = db.advisories.get(r.cve);
    const direct = advisory && applicable(advisory.configurations, { product: r.product, version: r.version, scheme });
    if (hit && direct) assert.equal(hit.applicable.fixed, direct.fixed, `line ${r.line}: fixed versions`);
  }
  assert.equal(wrong, []);
});

test.run();
