// Extracts a buildpack zip (PKWARE APPNOTE; unix modes from the external attributes) refusing entries that escape.
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/** Extracts `zipPath` into the existing dir `target`. Throws (naming the zip and entry) on an escaping entry. */
export async function unzipTo(zipPath: string, target: string): Promise<void> {
  const root = resolve(target);
  const zip = await new Promise<yauzl.ZipFile>((ok, fail) =>
    yauzl.open(zipPath, { lazyEntries: true, autoClose: true, strictFileNames: false }, (err, z) => (err ? fail(err) : ok(z!))),
  );
  const inside = (p: string) => {
    const rel = relative(root, p);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  // Paths of links this zip created: no later entry may be written through one (a link to "." then "l/../../x").
  const links = new Set<string>();
  const throughLink = (p: string) => {
    for (let d = dirname(p); d.length > root.length; d = dirname(d)) if (links.has(d)) return true;
    return links.has(p);
  };
  await new Promise<void>((ok, fail) => {
    const bad = (msg: string) => {
      zip.close();
      fail(new Error(`${zipPath}: ${msg}`));
    };
    zip.on('error', fail);
    zip.on('end', () => ok());
    zip.on('entry', (entry: yauzl.Entry) => {
      void (async () => {
        const name = entry.fileName.replace(/\\/g, '/');
        const dest = resolve(root, name);
        if (isAbsolute(name) || !inside(dest) || throughLink(dest)) {
          return bad(`entry '${entry.fileName}' escapes the target folder`);
        }
        const unixMode = (entry.externalFileAttributes >>> 16) & 0xffff;
        const type = unixMode & S_IFMT;
        if (name.endsWith('/') || type === S_IFDIR) {
          await mkdir(dest, { recursive: true });
          zip.readEntry();
          return;
        }
        await mkdir(dirname(dest), { recursive: true });
        const stream = await new Promise<NodeJS.ReadableStream>((o, f) =>
          zip.openReadStream(entry, (err, s) => (err ? f(err) : o(s!))),
        );
        if (type === S_IFLNK) {
          let linkTarget = '';
          for await (const chunk of stream) linkTarget += chunk.toString();
          if (isAbsolute(linkTarget) || !inside(resolve(dirname(dest), linkTarget))) {
            return bad(`link '${entry.fileName}' -> '${linkTarget}' points outside the target folder`);
          }
          await symlink(linkTarget, dest);
          links.add(dest);
        } else {
          await pipeline(stream, createWriteStream(dest));
          // Zips made without unix attributes carry no mode: keep scripts runnable as CF's extractor does.
          const mode = unixMode & 0o7777;
          await chmod(dest, mode ? mode | 0o200 : 0o755);
        }
        zip.readEntry();
      })().catch((err: Error) => bad(`entry '${entry.fileName}': ${err.message}`));
    });
    zip.readEntry();
  });
}
