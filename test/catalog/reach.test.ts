// The one reachability engine (src/catalog/reach.ts) the managers give their edges to.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reachable, scopesByReach } from '../../src/catalog/reach.ts';

// a → b → c → a (a cycle), d → c, e alone
const edges = new Map([
  ['a', ['b']],
  ['b', ['c']],
  ['c', ['a']],
  ['d', ['c']],
]);

test('reachable: starts included, cycles walked once, edges as a map or a function', () => {
  assert.equal([...reachable(['a'], edges)].sort(), ['a', 'b', 'c']);
  assert.equal([...reachable(['d'], (n: string) => edges.get(n) ?? [])].sort(), ['a', 'b', 'c', 'd']);
  assert.equal([...reachable([], edges)], []);
});

test('scopesByReach: required wins over optional over dev; unreached nodes are left out', () => {
  const s = scopesByReach(edges, { required: ['b'], optional: ['d'], dev: ['e'] });
  assert.equal(Object.fromEntries([...s].sort()), { a: 'required', b: 'required', c: 'required', d: 'optional', e: 'dev' });
  assert.not.ok(scopesByReach(edges, { dev: ['d'] }).has('e'));
});

test('scopesByReach into a map: what it holds keeps its scope and is not walked through', () => {
  const into = new Map([['c', 'dev' as const]]);
  scopesByReach(edges, { required: ['d'] }, into);
  // d reaches c, which is already dev: c stays dev and a, b (reached only through c) are not reached
  assert.equal(Object.fromEntries([...into].sort()), { c: 'dev', d: 'required' });
});

test.run();
