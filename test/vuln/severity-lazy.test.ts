// The CVSS calculator (ae-cvss-calculator, a tenth of a scan's start) is loaded by the first vector scored, not by
// importing the severity module: a scan with nothing to score, or of an index, never pays for it (src/vuln/osv/cvss-lazy.cts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const calculatorFile = require.resolve('ae-cvss-calculator');

test('importing the severity module does not load the calculator; the first vector scored does, and scores it', async () => {
  const { cvssScore, severityOfVectors } = await import('../../src/vuln/osv/severity.ts');
  // this file runs in a process of its own (scripts/test.mjs): nothing else has loaded it
  assert.not.ok(require.cache[calculatorFile], 'loaded by the import');
  assert.is(severityOfVectors([], 'moderate'), 'medium', 'a database word needs no calculator');
  assert.not.ok(require.cache[calculatorFile], 'loaded for a word');
  assert.is(cvssScore({ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }), 9.8);
  assert.ok(require.cache[calculatorFile], 'scoring a vector loads it');
  assert.is(cvssScore({ type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }), 9.3);
  assert.is(cvssScore({ type: 'CVSS_V3', score: 'CVSS:3.1/not a vector' }), undefined);
});

test.run();
