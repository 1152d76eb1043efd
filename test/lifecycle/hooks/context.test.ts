// listBuildpacks' reading of deps/<idx>/config.yml without a YAML parser: the same name and version as the builder's reading.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { plainNameVersion } from '../../../src/lifecycle/hooks/context.ts';
import { parseBuildpackMetadata } from '../../../src/platform/config-yml.ts';

const viaYaml = (text: string) => {
  const { name, version } = parseBuildpackMetadata('', text, { outputMetadata: false });
  return { ...(name ? { name } : {}), ...(version ? { version } : {}) };
};

test('the file libbuildpack writes is read without YAML, as YAML reads it', () => {
  for (const text of [
    'name: full\nversion: 1.2.3\nconfig: {}\n',
    'name: nodejs\nversion: 1.10\nconfig:\n  entrypoint_prefix: /home/vcap/deps/0/bin/run\n',
    'name: ruby\nversion: v1.10.19\n',
    'version: 0.9\nname: go\n',
    'name: yes\nversion: 1e3\n',
    'config: {}\n',
    '',
    'name: staticfile=v0.4.2\nversion: 1.6.0\nconfig:\n  a: b\n  c:\n',
  ]) {
    const fast = plainNameVersion(text);
    assert.ok(fast, text);
    assert.equal(fast, viaYaml(text), text);
  }
});

test('anything else is left to the YAML parser', () => {
  for (const text of [
    'name: "quoted"\nversion: 1\n',
    "name: 'single'\n",
    'name: two words\n',
    'name: full-buildpack=v1.2.3 tool=4.5.6\n  other=1.0.0\n',
    'name: a # comment\n',
    '# comment\nname: a\n',
    'name: a\r\nversion: 1\r\n',
    'name: a\nname: b\n',
    'name:\n  nested: x\n',
    'version:\n',
    'name: {}\n',
    'name: [a, b]\n',
    'config:\n    a: b\n  c: d\n',
    'config:\n  a: b\n  a: c\n',
    'config:\n  - a\n',
    'config:\n\ta: b\n',
    '---\nname: a\n',
    'name: &x a\nversion: *x\n',
    'name: !!str a\n',
    'name: -a\n',
    'name: =\n',
    'name: @a\n',
    'config: {a: b}\nname: x\n',
    'output_metadata:\n  bpx_detect: [a, b]\nname: x\n',
    '\uFEFFname: a\n',
  ]) {
    assert.is(plainNameVersion(text), undefined, text);
  }
});

test.run();
