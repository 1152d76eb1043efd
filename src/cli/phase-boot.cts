// What the wrapper's shims start (dist/phase/boot.cjs): compiles the phase runtime (bpx-phase.cjs beside it) with the
// V8 code cache `bpx wrap` wrote beside it, so that Node neither parses the bundle nor compiles the set-up it runs at
// every phase (Node 20 has no compile cache of its own; 22's does not reach a fresh staging container).
//   boot.cjs phase <phase> <argv...>   run a phase
//   boot.cjs --write-code-cache        (bpx wrap) set up every module, write the cache, print its size
//   boot.cjs --check-code-cache        print what this Node makes of the cache: accepted, rejected, damaged or absent
// V8 checks that a cache comes from its own version and flags, but not that its bytes are intact (a damaged one can
// crash it), nor that it belongs to this bundle beyond the bundle's length: the file carries CRC-32s of both, and a
// cache that does not match them is never handed to V8. Without a usable cache the phase runs the same, only slower.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import * as zlib from 'node:zlib';

interface PhaseBundle {
  main(argv: readonly string[]): void;
  warm(): Promise<void>;
}

const MAGIC = Buffer.from('bpx-v8cache 1\n');
// MAGIC, then u32 LE: the bundle's length, its CRC-32, the payload's CRC-32; then V8's payload
const HEADER = MAGIC.length + 12;
// zlib.crc32 is Node 20.15+ (the shipped Node may be an older 20): without it no cache is read or written
const crc32 = (zlib as { crc32?: (b: Buffer) => number }).crc32;

const bundle = join(__dirname, 'bpx-phase.cjs');
const cacheFile = `${bundle}.v8cache`;
const mode = process.argv[2];
const source = readFileSync(bundle);

/** The payload of a cache file written for this bundle and intact, 'damaged' for any other file, undefined for none. */
function readCache(): Buffer | 'damaged' | undefined {
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

const cache = mode === '--write-code-cache' ? undefined : readCache();
const cachedData = Buffer.isBuffer(cache) ? cache : undefined;
// the bundle is the text of one function expression, in ASCII (scripts/build.mjs): compiled as it is
const script = new Script(source.toString('latin1'), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
const mod = { exports: {} as PhaseBundle };
script.runInThisContext()(mod.exports, require, mod, bundle, __dirname);

if (mode === '--check-code-cache') {
  process.stdout.write(
    `${cache === undefined ? 'absent' : cache === 'damaged' ? cache : script.cachedDataRejected ? 'rejected' : 'accepted'}\n`,
  );
} else if (mode === '--write-code-cache') {
  mod.exports.warm().then(write, (e: unknown) => {
    process.stderr.write(`cannot set up the phase runtime: ${(e as Error)?.message ?? e}\n`);
    process.exitCode = 1;
  });
} else {
  mod.exports.main(process.argv.slice(2));
}

/** The cache after warm(): written to a temporary file, then renamed over the cache file. */
function write(): void {
  if (!crc32) {
    process.stderr.write(`this Node (${process.version}) has no zlib.crc32 to seal the cache with\n`);
    process.exitCode = 1;
    return;
  }
  const payload = script.createCachedData();
  const head = Buffer.alloc(HEADER);
  MAGIC.copy(head);
  head.writeUInt32LE(source.length, MAGIC.length);
  head.writeUInt32LE(crc32(source), MAGIC.length + 4);
  head.writeUInt32LE(crc32(payload), MAGIC.length + 8);
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, Buffer.concat([head, payload]));
    renameSync(tmp, cacheFile);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  process.stdout.write(`${HEADER + payload.length}\n`);
}
