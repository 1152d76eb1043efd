// The registry and the shape of a manager folder (renovate's manager api test): registered, documented, index.ts only declares.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { managers } from '../../src/catalog/registry.ts';
import { repoRoot } from './corpus.ts';

const dir = path.join(repoRoot, 'src/catalog/managers');
const folders = readdirSync(dir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

/** `() => import('./catalog.ts')`: the one function an index.ts may hold, naming the module of its code; its path, or undefined. */
function lazyImport(n: ts.Node | undefined): string | undefined {
  if (!n || !ts.isArrowFunction(n) || n.parameters.length || !ts.isCallExpression(n.body)) return undefined;
  const call = n.body;
  if (call.expression.kind !== ts.SyntaxKind.ImportKeyword || call.arguments.length !== 1 || !ts.isStringLiteral(call.arguments[0]))
    return undefined;
  return /^\.\/[\w-]+\.ts$/.test(call.arguments[0].text) ? call.arguments[0].text : undefined;
}

/**
 * Why `index.ts` is not declarations only, or undefined when it is: imports, re-exports and const values (the
 * manager object, patterns) with no function body anywhere; matches/parse come from byFile or byKind (declare.ts),
 * wired to the manager's code by a lazy import of a module beside it (byKind's: ./catalog.ts).
 */
function notDeclarationsOnly(text: string): string | undefined {
  const src = ts.createSourceFile('index.ts', text, ts.ScriptTarget.ES2022, true);
  const imported = new Map<string, string>();
  let wired = false;
  let why: string | undefined;
  const visit = (n: ts.Node): void => {
    if (why) return;
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) {
      why = `a function or class at line ${src.getLineAndCharacterOfPosition(n.getStart()).line + 1}`;
      return;
    }
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
      const callee = n.expression.text;
      if (callee !== 'byFile' && callee !== 'byKind') why = `a call to ${callee}()`;
      else if (imported.get(callee) !== '../../declare.ts') why = `${callee} not imported from ../../declare.ts`;
      else if (callee === 'byKind' && lazyImport(n.arguments[1]) !== './catalog.ts')
        why = "byKind(files, () => import('./catalog.ts')) without the lazy import of ./catalog.ts";
      else if (callee === 'byFile' && lazyImport(n.arguments[0]) === undefined)
        why = "byFile(() => import('./<module>.ts'), parsers) without the lazy import of its module";
      else {
        wired = true;
        // the lazy import is the wiring itself: look only into the patterns
        for (const a of n.arguments) if (lazyImport(a) === undefined) visit(a);
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  for (const st of src.statements) {
    if (ts.isImportDeclaration(st)) {
      const from = (st.moduleSpecifier as ts.StringLiteral).text;
      const names = st.importClause?.namedBindings;
      if (names && ts.isNamedImports(names)) for (const e of names.elements) imported.set(e.name.text, from);
    } else if (ts.isExportDeclaration(st)) {
      if (!st.moduleSpecifier) return 'an export list that is not a re-export';
    } else if (ts.isVariableStatement(st)) {
      if (!(st.declarationList.flags & ts.NodeFlags.Const)) return 'a let or var';
      visit(st);
    } else {
      return `a ${ts.SyntaxKind[st.kind]} statement at line ${src.getLineAndCharacterOfPosition(st.getStart()).line + 1}`;
    }
  }
  return why ?? (wired ? undefined : 'no byFile(...) or byKind(...) giving matches and parse');
}

test('every folder under managers/ is registered, has index.ts and README.md', () => {
  const ids = managers.map((m) => m.id).sort();
  assert.equal(ids, folders, 'registry.ts lists exactly the folders under managers/');
  for (const f of folders) {
    assert.ok(existsSync(path.join(dir, f, 'index.ts')), `${f}/index.ts`);
    assert.ok(existsSync(path.join(dir, f, 'README.md')), `${f}/README.md missing`);
  }
});

test('each index.ts only declares: id, ecosystem, description, file patterns, wired by byFile or byKind to its code', async () => {
  for (const f of folders) {
    const file = path.join(dir, f, 'index.ts');
    assert.is(notDeclarationsOnly(readFileSync(file, 'utf8')), undefined, `${f}/index.ts is not declarations only`);
    // the registered manager is the one this index.ts exports
    const mod = (await import(file)) as Record<string, unknown>;
    assert.ok(Object.values(mod).includes(managers.find((m) => m.id === f)), `${f}/index.ts exports the registered manager`);
  }
});

test('the declarations-only check catches code in index.ts', () => {
  const probe = notDeclarationsOnly;
  const header = "import { byKind, byFile } from '../../declare.ts';\n";
  const lazy = "() => import('./catalog.ts')";
  assert.is(probe(`${header}export const m = { id: 'm', ...byKind({ lock: /x/ }, ${lazy}) };`), undefined);
  assert.is(probe(`${header}export const m = { id: 'm', ...byFile(() => import('./parse-x.ts'), [[/x/, 'parseX']]) };`), undefined);
  assert.ok(probe(`${header}export const m = { id: 'm', matches: (p: string) => p === 'x', ...byKind({ lock: /x/ }, ${lazy}) };`));
  assert.ok(probe(`${header}function parse() {}\nexport const m = { ...byKind({ lock: /x/ }, ${lazy}) };`));
  assert.ok(probe(`${header}import { catalog } from './catalog.ts';\nexport const m = { ...byKind({ lock: /x/ }, catalog) };`));
  assert.ok(probe(`${header}export const m = { ...byKind({ lock: /x/ }, () => import('./other.ts')) };`));
  assert.ok(
    probe(`${header}export const m = { ...byKind({ lock: (p: string) => p === 'x' }, ${lazy}) };`),
    'a function among the patterns',
  );
  assert.ok(probe(`${header}export const m = { ...byFile(async () => ({}), [[/x/, 'parseX']]) };`));
  assert.ok(probe(`${header}export const m = { id: 'm' };`));
});

test('manager ids are unique, declarations complete, matches() is cheap and total', () => {
  assert.is(new Set(managers.map((m) => m.id)).size, managers.length);
  for (const m of managers) {
    assert.ok(m.description.length > 10, m.id);
    assert.type(m.parse, 'function');
    for (const p of ['', 'a', 'app/x/y/z.bin', 'deps/0/some/long/path/file.txt']) assert.type(m.matches(p), 'boolean');
  }
});

test('npm matches exactly the files it reads', () => {
  const npm = managers.find((m) => m.id === 'npm')!;
  const yes = [
    'package-lock.json',
    'app/package-lock.json',
    'app/npm-shrinkwrap.json',
    'app/package.json',
    'deps/0/node_modules/a/package.json',
    'node_modules/@s/a/node_modules/b/package.json',
    'node_modules/.package-lock.json',
  ];
  const no = [
    'app/node_modules/a/lib/package.json',
    'node_modules/a/package-lock.json',
    'node_modules/a/node_modules/.package-lock.json',
    'app/package.json5',
    'yarn.lock',
    'app/mypackage.json',
  ];
  for (const p of yes) assert.ok(npm.matches(p), p);
  for (const p of no) assert.not.ok(npm.matches(p), p);
});

test.run();
