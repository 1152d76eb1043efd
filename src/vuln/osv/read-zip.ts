// Reads every file of a ZIP archive (PKWARE APPNOTE 6.3: central directory, ZIP64, stored/deflate) — osv.dev's all.zip.
import { inflateRawSync } from 'node:zlib';
import type yauzl from 'yauzl';

// Why not yauzl alone: its per-entry read streams cost ~0.3 ms each, i.e. seconds for osv.dev's npm export
// (hundreds of thousands of small JSON files). Walking the central directory of the buffered archive and
// inflating each entry synchronously is ~20x faster. Anything this reader does not understand (encryption,
// other compression methods, a damaged directory) falls back to yauzl, which reports precise errors.

class Unsupported extends Error {}

/**
 * One entry of a buffered archive; `read()` inflates it (again). A plain object of offsets, not a closure or a Buffer
 * view: a database keeps one per record so the record can be re-read, and 50,000 closures weigh on every GC.
 */
export class ZipEntry {
  constructor(
    readonly name: string,
    private readonly buf: Buffer,
    /** where its data starts in the archive, its compressed and inflated sizes, and its method (0 stored, 8 deflate) */
    readonly start: number,
    readonly compSize: number,
    readonly size: number,
    readonly method: number,
  ) {}

  read(): Buffer {
    const raw = this.buf.subarray(this.start, this.start + this.compSize);
    if (this.method === 0) return raw;
    // one output chunk of the declared size (+1 so zlib does not ask for a second chunk to report the end) instead
    // of the default 16 KiB per entry: 50,000 small records otherwise churn ~800 MB of buffers. Capped, as `size` is
    // only what the archive claims; a larger entry still inflates, in several chunks.
    const chunkSize = Math.min(Math.max(64, this.size + 1), 4 << 20);
    return inflateRawSync(raw, { info: false, chunkSize, maxOutputLength: Math.max(this.size, 1) });
  }
}

function* entries(buf: Buffer): Generator<ZipEntry> {
  const min = Math.max(0, buf.length - 65_557);
  let eocd = -1;
  for (let i = buf.length - 22; i >= min; i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Unsupported('no end of central directory');
  let count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) throw new Unsupported('ZIP64 locator missing');
    const rec = Number(buf.readBigUInt64LE(loc + 8));
    if (buf.readUInt32LE(rec) !== 0x06064b50) throw new Unsupported('ZIP64 end record missing');
    count = Number(buf.readBigUInt64LE(rec + 32));
    offset = Number(buf.readBigUInt64LE(rec + 48));
  }
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Unsupported('bad central directory entry');
    const flags = buf.readUInt16LE(p + 8);
    const method = buf.readUInt16LE(p + 10);
    let compSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    // ZIP64 extended information: the 0xffffffff fields, in order, from the 0x0001 extra block
    let e = p + 46 + nameLen;
    const end = e + extraLen;
    while (e + 4 <= end) {
      const id = buf.readUInt16LE(e);
      const len = buf.readUInt16LE(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === 0xffffffff) ((size = Number(buf.readBigUInt64LE(q))), (q += 8));
        if (compSize === 0xffffffff) ((compSize = Number(buf.readBigUInt64LE(q))), (q += 8));
        if (local === 0xffffffff) local = Number(buf.readBigUInt64LE(q));
      }
      e += 4 + len;
    }
    p = end + commentLen;
    if (name.endsWith('/')) continue;
    if (flags & 1) throw new Unsupported('encrypted entry');
    if (method !== 0 && method !== 8) throw new Unsupported(`compression method ${method}`);
    if (buf.readUInt32LE(local) !== 0x04034b50) throw new Unsupported('bad local header');
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    yield new ZipEntry(name, buf, data, compSize, size, method);
  }
}

async function viaYauzl(buf: Buffer, file: string, fn: (name: string, body: Buffer, again: { read(): Buffer }) => void): Promise<void> {
  // loaded only for an archive the fast reader gives up on (a scan of the prebuilt index never reads one)
  const { fromBuffer } = (await import('yauzl')).default;
  return new Promise<void>((resolve, reject) => {
    fromBuffer(buf, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`${file}: cannot open zip`));
      zip.on('error', reject);
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`${file}!${entry.fileName}: cannot read`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            try {
              const body = Buffer.concat(chunks);
              fn(entry.fileName, body, { read: () => body });
            } catch (x) {
              return reject(x);
            }
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * Calls `fn(name, body, again)` for each file entry of the archive `buf` (read from `file`, named in errors) in
 * central-directory order; directories are skipped. `again.read()` gives the entry's bytes again, from `buf`.
 */
export async function readZip(
  file: string,
  buf: Buffer,
  fn: (name: string, body: Buffer, again: { read(): Buffer }) => void,
): Promise<void> {
  const list: ZipEntry[] = [];
  try {
    for (const e of entries(buf)) list.push(e);
  } catch (err) {
    if (err instanceof Unsupported || err instanceof RangeError) return viaYauzl(buf, file, fn);
    throw err;
  }
  for (const e of list) {
    let body: Buffer;
    try {
      body = e.read();
    } catch (err) {
      throw new Error(`${file}!${e.name}: ${(err as Error).message}`);
    }
    fn(e.name, body, e);
  }
}
