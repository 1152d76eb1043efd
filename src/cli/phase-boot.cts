// What the wrapper's shims start (dist/phase/boot.cjs): loads the phase runtime's CommonJS scripts beside it (the entry,
// bpx-phase.cjs, then each chunk as the phase needs its code), each compiled with the V8 code cache `bpx wrap` wrote
// beside it (<script>.v8cache), so that Node neither parses them nor compiles what the caches hold at each phase (Node
// 20 has no compile cache of its own; 22's does not reach a fresh staging container), and a phase reads only the code
// it runs (a detect with detect-versions never reads the vulnerability scanner's).
//   boot.cjs phase <phase> <argv...>   run a phase
//   boot.cjs --write-code-cache        (bpx wrap) set up every script, write each one's cache, print their size
//   boot.cjs --check-code-cache        compile every script with its cache and print what this Node makes of them:
//                                      accepted, rejected, damaged or absent (the worst of any script's)
// V8 checks that a cache comes from its own version and flags, but not that its bytes are intact (a damaged one can
// crash it), nor that it belongs to its script beyond the script's length: each cache file carries CRC-32s of both,
// and a cache that does not match them is never handed to V8. Without a usable cache a script runs the same, only
// slower.
import { readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Script } from 'node:vm';
import * as zlib from 'node:zlib';
import { CODE_CACHE_SUFFIX, PHASE_DIR } from '../wrap/runtime-layout.ts';

interface PhaseBundle {
  main(argv: readonly string[]): void;
  warm(): Promise<void>;
}

type Status = 'accepted' | 'rejected' | 'damaged' | 'absent';
/** From worst to best: what --check-code-cache prints for the runtime is the worst of its scripts'. */
const WORST_FIRST: readonly Status[] = ['damaged', 'rejected', 'absent', 'accepted'];

const MAGIC = Buffer.from('bpx-v8cache 1\n');
// MAGIC, then u32 LE: the script's length, its CRC-32, the payload's CRC-32; then V8's payload
const HEADER = MAGIC.length + 12;
// zlib.crc32 is Node 20.15+ (the shipped Node may be an older 20): without it no cache is read or written
const crc32 = (zlib as { crc32?: (b: Buffer) => number }).crc32;

/** The entry script (src/cli/phase-bin.ts): main and warm. */
const ENTRY = 'bpx-phase.cjs';
const mode = process.argv[2];
const writing = mode === '--write-code-cache';

interface Loaded {
  file: string;
  source: Buffer;
  script: Script;
  status: Status;
}
const loaded: Loaded[] = [];
const modules = new Map<string, { exports: unknown }>();

/** The payload of a cache file written for this script and intact, 'damaged' for any other file, undefined for none. */
function readCache(cacheFile: string, source: Buffer): Buffer | 'damaged' | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (!crc32) return undefined;
  const payload = file.subarray(HEADER);
  const intact =
    file.length > HEADER &&
    file.subarray(0, MAGIC.length).equals(MAGIC) &&
    file.readUInt32LE(MAGIC.length) === source.length &&
    file.readUInt32LE(MAGIC.length + 4) === crc32(source) &&
    file.readUInt32LE(MAGIC.length + 8) === crc32(payload);
  return intact ? payload : 'damaged';
}

/** One script of the runtime compiled, with its cache unless the caches are being written, and what V8 made of it. */
function compile(name: string): Loaded {
  const file = join(__dirname, name);
  const source = readFileSync(file);
  const cache = writing ? undefined : readCache(`${file}${CODE_CACHE_SUFFIX}`, source);
  const cachedData = Buffer.isBuffer(cache) ? cache : undefined;
  // Named by where it sits in the runtime, not on this machine: V8 keeps the name a cache was made under (Node 20 gives
  // it no other), and bpx wrap makes them in a temporary folder on the operator's machine that a staging's stack
  // traces would otherwise name
  const script = new Script(source.toString('latin1'), { filename: `${PHASE_DIR}/${name}`, ...(cachedData ? { cachedData } : {}) });
  const status: Status = cache === undefined ? 'absent' : cache === 'damaged' ? cache : script.cachedDataRejected ? 'rejected' : 'accepted';
  return { file, source, script, status };
}

/**
 * One script of the runtime, loaded once as require loads a module: compiled, then called with the module's exports,
 * the require of the runtime's scripts and the module. Each is the text of one function expression in ASCII
 * (scripts/build.mjs): compiled as it is, read as Latin-1.
 */
function load(name: string): unknown {
  let mod = modules.get(name);
  if (mod) return mod.exports;
  mod = { exports: {} };
  modules.set(name, mod);
  const one = compile(name);
  loaded.push(one);
  (one.script.runInThisContext() as (...args: unknown[]) => void)(mod.exports, requireScript, mod, one.file, __dirname);
  return mod.exports;
}

/** The require the runtime's scripts get: a script beside this file (`./chunk-X.cjs`), else Node's own. */
function requireScript(id: string): unknown {
  return id.startsWith('./') ? load(id.slice(2)) : require(id);
}

/** Every script of the runtime beside this file: the entry and the chunks. */
const scripts = (): string[] =>
  readdirSync(__dirname)
    .filter((f) => f.endsWith('.cjs') && f !== basename(__filename))
    .sort();

if (mode === '--check-code-cache') {
  // V8 takes or refuses a cache as it compiles: no script needs to run to tell
  const seen = new Set(scripts().map((f) => compile(f).status));
  process.stdout.write(`${WORST_FIRST.find((s) => seen.has(s)) ?? 'absent'}\n`);
} else if (writing) {
  // every module a built-in sets up and what a staging calls (warm), then every other script (a manager's, say)
  (load(ENTRY) as PhaseBundle)
    .warm()
    .then(() => scripts().forEach(load))
    .then(write, (e: unknown) => {
      process.stderr.write(`cannot set up the phase runtime: ${(e as Error)?.message ?? e}\n`);
      process.exitCode = 1;
    });
} else {
  (load(ENTRY) as PhaseBundle).main(process.argv.slice(2));
}

/** The cache of each script loaded (warm(), then every other one): written to a temporary file, then renamed over the cache file. */
function write(): void {
  if (!crc32) {
    process.stderr.write(`this Node (${process.version}) has no zlib.crc32 to seal the cache with\n`);
    process.exitCode = 1;
    return;
  }
  let bytes = 0;
  for (const { file, source, script } of loaded) {
    const payload = script.createCachedData();
    const head = Buffer.alloc(HEADER);
    MAGIC.copy(head);
    head.writeUInt32LE(source.length, MAGIC.length);
    head.writeUInt32LE(crc32(source), MAGIC.length + 4);
    head.writeUInt32LE(crc32(payload), MAGIC.length + 8);
    const tmp = `${file}${CODE_CACHE_SUFFIX}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, Buffer.concat([head, payload]));
      renameSync(tmp, `${file}${CODE_CACHE_SUFFIX}`);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    bytes += HEADER + payload.length;
  }
  process.stdout.write(`${bytes}\n`);
}
