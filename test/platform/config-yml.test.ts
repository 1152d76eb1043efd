// deps/<idx>/config.yml as the Cloud Foundry builder reads it, and bpx's edits of it (flat output_metadata only).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  configYmlProblem,
  editConfigYml,
  goJsonProblem,
  outputMetadataProblem,
  parseBuildpackMetadata,
} from '../../src/platform/config-yml.ts';

test('reads key, name, version as written, config and output_metadata as yaml.v2 types them', () => {
  const m = parseBuildpackMetadata(
    'keyed',
    'key: hijacked\nname: x\nversion: 1.10\nconfig: {}\noutput_metadata:\n  on: yes\n  n: 3\n  tags: [a=1, b]\n',
    { outputMetadata: true },
  );
  assert.equal(m, { key: 'hijacked', name: 'x', version: '1.10', config: {}, output_metadata: { on: true, n: 3, tags: ['a=1', 'b'] } });
});

test('no file, bad YAML or no config key: an empty name and no config, as the builder leaves them', () => {
  assert.equal(parseBuildpackMetadata('k', undefined, { outputMetadata: true }), { key: 'k', name: '' });
  assert.equal(parseBuildpackMetadata('k', 'name: [unclosed\n', { outputMetadata: true }), { key: 'k', name: '' });
  assert.equal(parseBuildpackMetadata('k', 'name: n\n', { outputMetadata: true }), { key: 'k', name: 'n' });
});

test('the same text read again (it is parsed once) gives the same answers, in copies of their own', () => {
  const text = 'name: x\nconfig: {a: {b: 1}}\noutput_metadata:\n  tags: [a, b]\n';
  const first = parseBuildpackMetadata('k', text, { outputMetadata: true });
  (first.config?.a as Record<string, unknown>).b = 2;
  (first.output_metadata?.tags as string[]).push('c');
  const again = parseBuildpackMetadata('other', text, { outputMetadata: true });
  assert.equal(again, { key: 'other', name: 'x', config: { a: { b: 1 } }, output_metadata: { tags: ['a', 'b'] } });
  assert.equal(parseBuildpackMetadata('k', text, { outputMetadata: false }), { key: 'k', name: 'x', config: { a: { b: 1 } } });
  assert.is(configYmlProblem(text), undefined);
  const bad = 'name: [unclosed\n';
  assert.match(configYmlProblem(bad) ?? '', /flow sequence|unclosed|Missing/i);
  assert.is(configYmlProblem(bad), configYmlProblem(bad));
  assert.equal(parseBuildpackMetadata('k', bad, { outputMetadata: true }), { key: 'k', name: '' });
});

test('a nested map anywhere below output_metadata is what Go cannot encode; scalars and scalar lists are fine', () => {
  const nested = parseBuildpackMetadata('k', 'output_metadata:\n  tool:\n    detect: [a=1]\n', { outputMetadata: true });
  assert.equal(outputMetadataProblem(nested.output_metadata), {
    key: 'tool',
    message: 'json: unsupported type: map[interface {}]interface {}',
  });
  assert.is(goJsonProblem([{ a: 1 }]), 'json: unsupported type: map[interface {}]interface {}');
  assert.is(goJsonProblem(Number.POSITIVE_INFINITY), 'json: unsupported value: +Inf');
  assert.is(goJsonProblem(['a', 1, true, null]), undefined);
});

test('editConfigYml sets name and flat output_metadata, keeps the rest, never writes key, refuses nested values', () => {
  const text =
    '# written by the buildpack\nname: nodejs\nversion: 1.9.4\nconfig: {entrypoint_prefix: x}\noutput_metadata:\n  theirs: kept\n';
  const next = editConfigYml(text, { name: 'nodejs-buildpack=v1.9.4 node=20.11.1', outputMetadata: { bpx_detect: ['node=20.11.1'] } });
  const m = parseBuildpackMetadata('k', next, { outputMetadata: true });
  assert.equal(m, {
    key: 'k',
    name: 'nodejs-buildpack=v1.9.4 node=20.11.1',
    version: '1.9.4',
    config: { entrypoint_prefix: 'x' },
    output_metadata: { theirs: 'kept', bpx_detect: ['node=20.11.1'] },
  });
  assert.ok(next.startsWith('# written by the buildpack\n'));
  assert.not.match(next, /^key:/m);
  assert.throws(() => editConfigYml(text, { outputMetadata: { bad: { a: 1 } as never } }), /only strings, numbers, booleans and lists/);
  assert.throws(() => editConfigYml('name: [x\n', { name: 'y' }), /not valid YAML/);
  assert.throws(() => editConfigYml('output_metadata: text\n', { outputMetadata: { a: 'b' } }), /output_metadata is not a map/);
});

test.run();
