// Installed gem specifications (`specifications/<name>-<version>[-<platform>].gemspec`, Ruby written by RubyGems): read with regexes, never evaluated.
import type { Issue, License } from '../../../model/index.ts';
import { licensesOf } from '../../licenses.ts';
import { splitPlatform } from './package.ts';

export interface InstalledGem {
  name: string;
  version: string;
  platform?: string;
  licenses: License[];
  line: number;
}

// '  s.name = "rack".freeze' → rack ; '  s.version = "2.2.3"' → 2.2.3
const FIELD = (f: string) => new RegExp(`^\\s*\\w+\\.${f}\\s*=\\s*["']([^"']+)["']`, 'm');
const LICENSES = /^\s*\w+\.licenses?\s*=\s*\[?([^\n\]]*)\]?/m;
// '# stub: nokogiri 1.13.8 x86_64-linux lib'
const STUB = /^# stub: (\S+) (\S+) (\S+)/m;

function lineOf(text: string, index: number): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < index; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export function parseGemspec(text: string, file: string): { gem?: InstalledGem; issues: Issue[] } {
  const name = FIELD('name').exec(text);
  const version = FIELD('version').exec(text);
  const stub = STUB.exec(text);
  // When the body is unusual, fall back to the file name: 'nokogiri-1.13.8-x86_64-linux.gemspec'.
  const base = file
    .split('/')
    .pop()!
    .replace(/\.gemspec$/, '');
  const n = name?.[1] ?? stub?.[1];
  const v = version?.[1] ?? stub?.[2];
  if (!n || !v) {
    const m = /^(.+?)-(\d[^-]*)(?:-(.+))?$/.exec(base);
    if (!m)
      return { issues: [{ path: file, line: 1, severity: 'warning', message: 'gemspec without a readable name and version: skipped' }] };
    return { gem: { name: m[1], version: m[2], ...(m[3] ? { platform: m[3] } : {}), licenses: [], line: 1 }, issues: [] };
  }
  const platformField = FIELD('platform').exec(text)?.[1] ?? (stub && stub[3] !== 'ruby' ? stub[3] : undefined);
  const [ver, vplat] = splitPlatform(v);
  const platform = platformField && platformField !== 'ruby' ? platformField : vplat;
  const lic = LICENSES.exec(text);
  const raws = lic ? [...lic[1].matchAll(/["']([^"']+)["']/g)].map((m) => m[1]) : [];
  return {
    gem: {
      name: n,
      version: ver,
      ...(platform ? { platform } : {}),
      licenses: licensesOf(raws),
      line: name ? lineOf(text, name.index) : 1,
    },
    issues: [],
  };
}
