import { build } from 'esbuild';
await build({ bundle: true, platform: 'node', format: 'esm', target: 'node20', minify: false, external: ['better-sqlite3','pg','pg-native'],
  banner: { js: "import{createRequire as __bpxCreateRequire}from'node:module';const require=__bpxCreateRequire(import.meta.url);" },
  entryPoints: { bpx: 'src/cli/bin.ts' }, outdir: '/tmp/wx/dist', splitting: true, chunkNames: 'cli/chunk-[hash]', outExtension: { '.js': '.mjs' }, logLevel: 'warning' });
