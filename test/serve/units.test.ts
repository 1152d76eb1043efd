// The small pieces of the reference servers: DSSE PAE parsing (serve-signer), purl prefixes and policy files (serve-hooks).
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parsePae } from '../../src/serve/pae.ts';
import { purlMatches, parsePolicy, evaluatePolicy } from '../../src/serve/hooks-policy.ts';

test('PAE parsing accepts exactly one well-formed PAE', () => {
  const body = Buffer.from('{"a":1}');
  const good = Buffer.concat([Buffer.from(`DSSEv1 28 application/vnd.in-toto+json ${body.length} `), body]);
  assert.equal(parsePae(good), { payloadType: 'application/vnd.in-toto+json', payloadBytes: 7 });
  assert.is(parsePae(Buffer.concat([good, Buffer.from('x')])), undefined);
  assert.is(parsePae(Buffer.from('DSSEv1 01 a 0 ')), undefined);
  assert.is(parsePae(Buffer.from('DSSEv1 1 a 0 ')) !== undefined, true);
  assert.is(parsePae(Buffer.from('hello')), undefined);
});

test('purl prefixes match on a boundary', () => {
  assert.ok(purlMatches('pkg:npm/request@2.88.2', 'pkg:npm/request'));
  assert.not.ok(purlMatches('pkg:npm/request-promise@4.2.6', 'pkg:npm/request'));
  assert.ok(purlMatches('pkg:npm/%40babel/core@7.0.0', 'pkg:npm/%40babel/'));
  assert.ok(purlMatches('pkg:npm/%40babel/core@7.0.0', 'pkg:npm/%40babel'));
  assert.ok(purlMatches('pkg:npm/lodash@4.17.20', 'pkg:npm/lodash@4.17.20'));
  assert.not.ok(purlMatches('pkg:npm/lodash@4.17.21', 'pkg:npm/lodash@4.17.2'));
});

test('policy files: YAML, errors name the file and field, severity gate', () => {
  const p = parsePolicy('deny:\n  - purl: pkg:npm/event-stream@3.3.6\n    reason: compromised\nfailOnSeverity: high\n', 'policy.yml');
  assert.is(p.deny.length, 1);
  assert.throws(
    () => parsePolicy('deny:\n  - name: x\n', 'policy.yml'),
    /policy\.yml: policy\.deny\.0: must have required property 'purl'/,
  );
  assert.throws(() => parsePolicy('deny: [\n', 'bad.yml'), /bad\.yml(:\d+)?: not valid YAML/);
  const r = evaluatePolicy(p, { components: [{ purl: 'pkg:npm/express@4.21.2' }], findings: [{ severity: 'critical', message: 'CVE' }] });
  assert.is(r.verdict, 'fail');
  assert.match(r.message, /1 finding\(s\) at or above high/);
  assert.is(evaluatePolicy(p, { components: [{ purl: 'pkg:npm/express@4.21.2' }] }).verdict, 'pass');
});

test('examples/serve-hooks-policy.yml is a valid policy', () => {
  const file = new URL('../../examples/serve-hooks-policy.yml', import.meta.url);
  const p = parsePolicy(readFileSync(file, 'utf8'), 'examples/serve-hooks-policy.yml');
  assert.ok(p.deny.length >= 1 && p.warn.length >= 1);
  assert.is(evaluatePolicy(p, { components: [{ purl: 'pkg:npm/request@2.88.2' }] }).verdict, 'warn');
  assert.is(evaluatePolicy(p, { components: [{ purl: 'pkg:npm/event-stream@3.3.6' }] }).verdict, 'fail');
});

test.run();
