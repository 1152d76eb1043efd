// Gemfile (Bundler DSL, https://bundler.io/guides/gemfile.html) read as text for `gem` groups: never evaluated.

/** Groups Bundler's BUNDLE_WITHOUT leaves out in the CF ruby buildpack (development:test). */
export const DEV_GROUPS = new Set(['development', 'test']);

// group :development, :test do   |   group "test" do
const GROUP_BLOCK = /^\s*group\s*\(?\s*((?::\w+|["']\w+["'])(?:\s*,\s*(?::\w+|["']\w+["']))*)\s*\)?\s*do\b/;
// gem "rails", "~> 6.1", group: :test   |   gem 'x', :groups => [:development, :test]
const GEM = /^\s*gem\s*\(?\s*["']([^"']+)["'](.*)$/;
const GROUP_OPT = /(?:\bgroups?:|:groups?\s*=>)\s*(\[[^\]]*\]|:\w+|["']\w+["'])/;
// Lines that open a block closed by `end`: `do` at the end, or a statement keyword at the start.
const OPENS = /(\bdo\s*(\|[^|]*\|)?\s*$)|^\s*(if|unless|case|while|until|begin|def|class|module)\b/;
const ENDS = /^\s*end\b/;

function symbols(list: string): string[] {
  return [...list.matchAll(/:(\w+)|["'](\w+)["']/g)].map((m) => m[1] ?? m[2]);
}

/**
 * gem name → the groups it is declared in ('default' outside any group). Conservative: a block the reader
 * cannot follow counts as no group, so an unknown case is never dev. Comments are ignored.
 */
export function gemfileGroups(text: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const stack: (string[] | null)[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '');
    if (!line.trim()) continue;
    if (ENDS.test(line)) {
      stack.pop();
      continue;
    }
    const g = GROUP_BLOCK.exec(line);
    if (g) {
      stack.push(symbols(g[1]));
      continue;
    }
    const gem = GEM.exec(line);
    if (gem) {
      const opt = GROUP_OPT.exec(gem[2]);
      const inner = [...stack].reverse().find((s) => s !== null) ?? null;
      const groups = opt ? symbols(opt[1]) : (inner ?? ['default']);
      const set = out.get(gem[1]) ?? new Set<string>();
      for (const x of groups) set.add(x);
      out.set(gem[1], set);
      if (/\bdo\s*(\|[^|]*\|)?\s*$/.test(line)) stack.push(null);
      continue;
    }
    if (OPENS.test(line) && !/\bend\s*$/.test(line)) stack.push(null);
  }
  return out;
}

/** true when every group a gem is declared in is left out at staging (development/test). */
export function onlyDevGroups(groups: Set<string> | undefined): boolean {
  if (!groups || !groups.size) return false;
  for (const g of groups) if (!DEV_GROUPS.has(g)) return false;
  return true;
}
