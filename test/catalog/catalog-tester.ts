// syft's pkgtest for bpx: captures each testdata/<case>/ folder with one package manager and compares it with expected.json.
// Only the public API is used (captureDir, the registry and the PackageManager contract), so managers can be refactored freely.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureDir } from '../../src/catalog/capture.ts';
import { managers } from '../../src/catalog/registry.ts';
import type { AppFile, PackageManager, ScanContext } from '../../src/catalog/types.ts';
import type { Capture, Component, Issue, Location } from '../../src/model/index.ts';

/** What a case folder must give: written as expected.json beside the case's real files. */
export interface Expected {
  /** Files of the case that the manager's matches() accepts: what capture hands it. */
  matched: string[];
  /** Files the manager's parse() opened (ctx.read/readText), matched or not: syft's glob test. */
  read: string[];
  complete: boolean;
  /** `"path:line severity: message"`, sorted as capture sorts issues. */
  issues: string[];
  /** One per component, sorted by purl; locations as `"path:line (source)"`. What the code SHOULD give. */
  components: ComponentLine[];
  /**
   * Components the current code gets wrong, exactly as it gives them (a strict expected failure): the test
   * fails when one of these is fixed, so the entry is removed, and when anything else differs from `components`.
   */
  knownWrong?: ComponentLine[];
  /** Why the knownWrong entries are wrong (a bug report, not a specification). */
  knownWrongReason?: string;
}

export interface ComponentLine {
  purl: string;
  version: string;
  scope: string;
  locations: string[];
}

/** The files a case holds besides its real inputs. */
const NOT_INPUT = new Set(['expected.json']);

/** Every regular file below `dir`, as sorted POSIX paths relative to it (expected.json left out). */
export function caseFiles(dir: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...caseFiles(dir, p));
    else if (e.isFile() && !(rel === '' && NOT_INPUT.has(e.name))) out.push(p);
  }
  return out.sort();
}

/** A ScanContext over the case folder that records every path parse() reads. */
function recordingContext(dir: string, files: string[], read: Set<string>): ScanContext {
  const listed: AppFile[] = files.map((p) => ({ path: p, size: readFileSync(path.join(dir, p)).length }));
  const has = (p: string) => files.includes(path.posix.normalize(p));
  const open = async (p: string): Promise<Buffer> => {
    const n = path.posix.normalize(p);
    if (!files.includes(n)) throw new Error(`${p}: not a file below the scanned root`);
    read.add(n);
    return readFile(path.join(dir, n));
  };
  return { files: listed, has, read: open, readText: async (p) => (await open(p)).toString('utf8'), includeDev: true };
}

const location = (l: Location) => `${l.path}${l.line === undefined ? '' : `:${l.line}`} (${l.source})`;
const issue = (i: Issue) => `${i.path}${i.line === undefined ? '' : `:${i.line}`} ${i.severity}: ${i.message}`;
const component = (c: Component): ComponentLine => ({
  purl: c.purl,
  version: c.version,
  scope: c.scope,
  locations: c.locations.map(location),
});

export function manager(id: string): PackageManager {
  const m = managers.find((x) => x.id === id);
  if (!m) throw new Error(`no registered package manager "${id}"`);
  return m;
}

/** Runs one case: what matches() selects, what parse() reads, and what captureDir reports with dev packages kept. */
export async function actual(id: string, dir: string): Promise<Expected> {
  const m = manager(id);
  const files = caseFiles(dir);
  const matched = files.filter((p) => m.matches(p));
  const read = new Set<string>();
  await m.parse(matched, recordingContext(dir, files, read));
  const cap: Capture = await captureDir(dir, { managers: [id], includeDev: true });
  return {
    matched,
    read: [...read].sort(),
    complete: cap.complete,
    issues: cap.issues.map(issue),
    components: cap.components.map(component),
  };
}

/** expected.json with one array entry per line, so a diff shows the one component that changed. */
export function format(e: Expected): string {
  const list = (xs: unknown[]) => (xs.length ? `[\n${xs.map((x) => `    ${JSON.stringify(x)}`).join(',\n')}\n  ]` : '[]');
  const wrong = e.knownWrong?.length
    ? `,\n  "knownWrongReason": ${JSON.stringify(e.knownWrongReason ?? '')},\n  "knownWrong": ${list(e.knownWrong)}`
    : '';
  return `{\n  "matched": ${list(e.matched)},\n  "read": ${list(e.read)},\n  "complete": ${e.complete},\n  "issues": ${list(e.issues)},\n  "components": ${list(e.components)}${wrong}\n}\n`;
}

/**
 * The components of `got` that differ from `want.components` (changed, missing or extra), as the code gives them;
 * a missing one appears as `{purl, version: '', scope: 'missing', locations: []}`.
 */
export function differing(got: ComponentLine[], want: ComponentLine[]): ComponentLine[] {
  const byPurl = new Map(want.map((c) => [c.purl, c]));
  const out = got.filter((c) => JSON.stringify(c) !== JSON.stringify(byPurl.get(c.purl)));
  const have = new Set(got.map((c) => c.purl));
  for (const c of want) if (!have.has(c.purl)) out.push({ purl: c.purl, version: '', scope: 'missing', locations: [] });
  return out.sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
}

/** What update mode writes: the current output, except that known-wrong components keep their right expectation. */
function updated(got: Expected, old: Expected | undefined): Expected {
  if (!old?.knownWrong?.length) return got;
  const keep = new Map(old.components.map((c) => [c.purl, c]));
  const wrong = new Set(old.knownWrong.map((c) => c.purl));
  const components = got.components.map((c) => (wrong.has(c.purl) && keep.has(c.purl) ? keep.get(c.purl)! : c));
  return { ...got, components, knownWrong: differing(got.components, components), knownWrongReason: old.knownWrongReason };
}

/** The case folders under testdata/, sorted. */
export function cases(testdata: string): string[] {
  return readdirSync(testdata, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
}

/**
 * Registers the tests of one manager's testdata/ folder (beside the calling test file) and runs them:
 * per case, the glob test (matched and read paths) and the capture test (components, issues, completeness);
 * for the folder, that a corrupt/ case exists and SOURCE.md names every vendored file.
 * With BPX_UPDATE_TESTDATA=1 the expected.json files are rewritten from the current code: read them before committing.
 */
export function catalogTester(id: string, testFileUrl: string): void {
  const testdata = path.join(path.dirname(fileURLToPath(testFileUrl)), 'testdata');
  const update = process.env.BPX_UPDATE_TESTDATA === '1';
  const all = cases(testdata);

  test(`${id} testdata: a corrupt/ case, an expected.json per case, SOURCE.md cites every file`, () => {
    assert.ok(all.includes('corrupt'), `${testdata}/corrupt/ is missing`);
    const source = readFileSync(path.join(testdata, 'SOURCE.md'), 'utf8');
    for (const c of all) {
      assert.ok(update || existsSync(path.join(testdata, c, 'expected.json')), `${c}/expected.json is missing`);
      for (const f of caseFiles(path.join(testdata, c))) assert.ok(source.includes(`${c}/${f}`), `SOURCE.md does not name ${c}/${f}`);
    }
    // expected.json is not an input: no manager may read it
    for (const m of managers) assert.not.ok(m.matches('expected.json'), `${m.id} matches expected.json`);
  });

  for (const c of all) {
    const dir = path.join(testdata, c);
    let got: Expected | undefined;
    const run = async () => (got ??= await actual(id, dir));
    const want = (): Expected => JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Expected;

    test(`${id} ${c}: reads exactly these paths (glob test)`, async () => {
      const g = await run();
      if (update) {
        const file = path.join(dir, 'expected.json');
        const old = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Expected) : undefined;
        writeFileSync(file, format(updated(g, old)));
      }
      const w = want();
      assert.equal(g.matched, w.matched, 'matches() accepts exactly these files of the case');
      assert.equal(g.read, w.read, 'parse() reads exactly these files of the case');
    });

    test(`${id} ${c}: components and issues as in expected.json`, async () => {
      const g = await run();
      const w = want();
      assert.equal(g.issues, w.issues);
      assert.is(g.complete, w.complete);
      const wrong = differing(g.components, w.components);
      if (!w.knownWrong?.length) assert.equal(g.components, w.components);
      // a strict expected failure: exactly these are still wrong; once one is fixed, drop it from knownWrong
      else assert.equal(wrong, w.knownWrong, `knownWrong (${w.knownWrongReason}) no longer matches what the code gets wrong`);
    });
  }

  test.run();
}
