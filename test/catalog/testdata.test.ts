// Every registered package manager owns its fixtures: testdata/ with real cases, a corrupt/ case, SOURCE.md and a catalogTester run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { managers } from '../../src/catalog/registry.ts';
import { cases } from './catalog-tester.ts';
import { repoRoot } from '../shared.ts';

for (const m of managers) {
  test(`${m.id}: test/catalog/managers/${m.id}/testdata has a real case, corrupt/, SOURCE.md, and testdata.test.ts runs it`, () => {
    const dir = path.join(repoRoot, 'test/catalog/managers', m.id);
    assert.ok(existsSync(path.join(dir, 'testdata/SOURCE.md')), `${m.id}/testdata/SOURCE.md`);
    const all = cases(path.join(dir, 'testdata'));
    assert.ok(all.includes('corrupt'), `${m.id}/testdata/corrupt/`);
    assert.ok(
      all.some((c) => c !== 'corrupt'),
      `${m.id}/testdata has no case besides corrupt/`,
    );
    const runner = path.join(dir, 'testdata.test.ts');
    assert.ok(
      existsSync(runner) && readFileSync(runner, 'utf8').includes(`catalogTester('${m.id}'`),
      `${m.id}/testdata.test.ts calls catalogTester('${m.id}', …)`,
    );
  });
}

test.run();
