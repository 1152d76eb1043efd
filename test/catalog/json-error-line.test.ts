// Where a lockfile's JSON breaks: one reading of JSON.parse's message (src/catalog/line-index.ts) for every JSON lockfile
// manager, Node 20's `at position N` and Node 22's `(line N column M)` alike, a truncated file at its last line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonErrorLine } from '../../src/catalog/line-index.ts';
import { parsePackagesLock } from '../../src/catalog/managers/nuget/parse-packages-lock.ts';
import { parseDepsJson } from '../../src/catalog/managers/nuget/parse-deps-json.ts';
import { parsePipfileLock } from '../../src/catalog/managers/python/parse-pipfile-lock.ts';

// a comma missing at the end of line 3
const broken = '{\n  "version": 1,\n  "dependencies": {}\n  "x": 1\n}\n';
const truncated = '{\n  "version": 1,\n  "dependencies": {\n\n';

test("this Node's own messages: the line of the position, a truncated file's last line that is not blank", () => {
  for (const [text, line] of [
    [broken, 4],
    [truncated, 3],
  ] as const) {
    let err: unknown;
    try {
      JSON.parse(text);
    } catch (e) {
      err = e;
    }
    assert.is(jsonErrorLine(text, err), line, String(err));
  }
});

test("Node 22's messages name the line themselves", () => {
  const err = new SyntaxError("Expected ',' or '}' after property value in JSON at position 39 (line 4 column 3)");
  assert.is(jsonErrorLine(broken, err), 4);
  assert.is(jsonErrorLine(broken, new SyntaxError('something else entirely')), undefined);
});

test('packages.lock.json, deps.json and Pipfile.lock locate the break the same way', () => {
  for (const text of [broken, truncated]) {
    const want = text === broken ? 4 : 3;
    const lines = [
      parsePackagesLock(text, 'packages.lock.json').issues[0]?.line,
      parseDepsJson(text, 'app.deps.json').issues[0]?.line,
      parsePipfileLock(text, 'Pipfile.lock').issues[0]?.line,
    ];
    assert.equal(lines, [want, want, want], JSON.stringify(text));
  }
});

test.run();
