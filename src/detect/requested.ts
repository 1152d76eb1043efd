// What an app asks of its runtime: package.json engines, .nvmrc, runtime.txt, .python-version, Pipfile, Gemfile, go.mod,
// system.properties, composer.json, global.json and buildpack.yml, as the CF buildpacks read them.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parse as parseToml } from 'smol-toml';

export interface RuntimeRequest {
  /** the manifest.yml dependency name (node, python, ruby, go, php, dotnet-sdk, openjdk...). */
  runtime: string;
  /** a constraint libbuildpack can match; undefined: the buildpack default. */
  constraint?: string;
  /** the file the request came from. */
  from?: string;
}

async function read(dir: string, name: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
}

/** Node LTS code names (nodejs.org release schedule). */
const LTS: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

/** nodejs-buildpack formatNvmrcContent: `node` → `*`, `lts/*` → newest LTS `N.*.*`, `lts/iron` → `20.*.*`, `18.1` → `18.1.*`. */
export function nvmrcConstraint(raw: string): string | undefined {
  const v = raw.trim().replace(/^v(?=\d)/, '');
  if (!v) return undefined;
  if (v === 'node' || v === 'stable' || v === 'latest') return '*';
  if (v.startsWith('lts/')) {
    const name = v.slice(4).toLowerCase();
    const major = name === '*' ? Math.max(...Object.values(LTS)) : LTS[name];
    return major ? `${major}.*.*` : undefined;
  }
  if (!/^\d+(\.\d+){0,2}$/.test(v)) return v;
  return v + '.*'.repeat(3 - v.split('.').length);
}

function json(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text);
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

function buildpackYml(text: string | undefined, key: string): string | undefined {
  if (!text) return undefined;
  try {
    const v = parseYaml(text)?.[key]?.version;
    return v === undefined || v === null ? undefined : String(v);
  } catch {
    return undefined;
  }
}

/** `3.11` → `3.11.x`; `3.11.4` stays. */
const partialX = (v: string) => (/^\d+\.\d+$/.test(v) ? `${v}.x` : /^\d+$/.test(v) ? `${v}.x` : v);

/** Reads every runtime request the app's files make, in the order the buildpacks give them precedence. */
export async function readRuntimeRequests(appDir: string): Promise<RuntimeRequest[]> {
  const out: RuntimeRequest[] = [];
  const [pkg, nvmrc, runtimeTxt, pyVersion, pipfile, gemfile, gomod, sysprops, composer, globalJson, bpYml] = await Promise.all(
    [
      'package.json',
      '.nvmrc',
      'runtime.txt',
      '.python-version',
      'Pipfile',
      'Gemfile',
      'go.mod',
      'system.properties',
      'composer.json',
      'global.json',
      'buildpack.yml',
    ].map((f) => read(appDir, f)),
  );
  const p = json(pkg);
  if (p) {
    const engines = (p.engines ?? {}) as Record<string, unknown>;
    const node = typeof engines.node === 'string' && engines.node.trim() ? engines.node.trim() : undefined;
    if (node) out.push({ runtime: 'node', constraint: node, from: 'package.json' });
    else if (nvmrc !== undefined && nvmrcConstraint(nvmrc))
      out.push({ runtime: 'node', constraint: nvmrcConstraint(nvmrc), from: '.nvmrc' });
    else out.push({ runtime: 'node', from: 'package.json' });
  }
  const pyFromRuntime = runtimeTxt?.trim().match(/^python-(\S+)/)?.[1];
  const pyFromFile = pyVersion?.trim().split(/\s+/)[0];
  let pyFromPipfile: string | undefined;
  if (pipfile) {
    try {
      const req = (parseToml(pipfile) as Record<string, any>).requires;
      pyFromPipfile = req?.python_full_version ?? req?.python_version;
    } catch {
      /* a malformed Pipfile asks nothing */
    }
  }
  const py = pyFromRuntime ?? pyFromFile ?? pyFromPipfile ?? buildpackYml(bpYml, 'python');
  if (py)
    out.push({
      runtime: 'python',
      constraint: partialX(py),
      from: pyFromRuntime ? 'runtime.txt' : pyFromFile ? '.python-version' : pyFromPipfile ? 'Pipfile' : 'buildpack.yml',
    });
  if (gemfile) {
    // `ruby '3.3.6'`, `ruby "~> 3.3"` — read, never evaluated.
    const m = gemfile.match(/^\s*ruby\s+['"]([^'"]+)['"]/m);
    out.push({ runtime: 'ruby', ...(m ? { constraint: m[1].replace(/^~>\s*/, '~>') } : {}), from: 'Gemfile' });
  }
  if (gomod) {
    const m = gomod.match(/^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m);
    out.push({ runtime: 'go', ...(m ? { constraint: partialX(m[1]) } : {}), from: 'go.mod' });
  }
  if (sysprops) {
    const m = sysprops.match(/^\s*java\.runtime\.version\s*[=:]\s*(\S+)/m);
    if (m) out.push({ runtime: 'openjdk', constraint: partialX(m[1].replace(/^1\.(\d+)$/, '$1')), from: 'system.properties' });
  }
  const c = json(composer);
  if (c) {
    const php = ((c.require ?? {}) as Record<string, unknown>).php;
    out.push({ runtime: 'php', ...(typeof php === 'string' ? { constraint: php } : {}), from: 'composer.json' });
  }
  const g = json(globalJson);
  const sdk = (g?.sdk as Record<string, unknown> | undefined)?.version;
  if (typeof sdk === 'string') out.push({ runtime: 'dotnet-sdk', constraint: sdk, from: 'global.json' });
  const goBp = buildpackYml(bpYml, 'go');
  if (goBp && !out.some((r) => r.runtime === 'go' && r.constraint)) out.push({ runtime: 'go', constraint: goBp, from: 'buildpack.yml' });
  const nodeBp = buildpackYml(bpYml, 'nodejs');
  if (nodeBp && !out.some((r) => r.runtime === 'node' && r.constraint))
    out.push({ runtime: 'node', constraint: nodeBp, from: 'buildpack.yml' });
  return out;
}
