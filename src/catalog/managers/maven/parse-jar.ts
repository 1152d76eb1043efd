// Java archives (jar/war/ear, zip format): identity from META-INF/maven/**/pom.properties, then META-INF/MANIFEST.MF, then the file name.
import { createHash } from 'node:crypto';
import path from 'node:path';
import yauzl from 'yauzl';
import type { Component, Hash, Issue } from '../../../model/index.ts';
import { makeComponent } from '../../../model/index.ts';

/** Nested archives bigger than this are not unpacked into memory. */
const MAX_NESTED_BYTES = 64 * 1024 * 1024;
const POM_PROPS = /^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/;
/** Library folders of Spring Boot jars/wars and plain wars; any other nested .jar is also read. */
const NESTED = /\.(jar|war|ear)$/i;
const APP_LIBS = /^(BOOT-INF\/lib|WEB-INF\/lib|WEB-INF\/lib-provided|lib)\//;

interface Entry {
  name: string;
  read(): Promise<Buffer>;
}

function openZip(buf: Buffer): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.fromBuffer(buf, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, zip) =>
      err ? reject(err) : resolve(zip),
    ),
  );
}

/** Lists every entry and reads the wanted ones into memory; the zip is closed when the listing ends. */
async function readEntries(buf: Buffer, want: (name: string) => boolean): Promise<Map<string, Buffer>> {
  const zip = await openZip(buf);
  const out = new Map<string, Buffer>();
  return new Promise((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve(out));
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName.endsWith('/') || !want(entry.fileName) || entry.uncompressedSize > MAX_NESTED_BYTES) {
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          out.set(entry.fileName, Buffer.concat(chunks));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
}

/** Java .properties: `key=value` or `key: value`, `#`/`!` comments (no continuation lines in pom.properties). */
export function parseProperties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const t = raw.trim();
    if (!t || t.startsWith('#') || t.startsWith('!')) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(t);
    if (m) out[m[1]] = m[2].trim();
  }
  return out;
}

/** MANIFEST.MF main section: `Name: value`, continuation lines start with one space (72-byte wrapping). */
export function parseManifest(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let key: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break; // end of the main section
    if (line.startsWith(' ') && key) out[key] += line.slice(1);
    else {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      key = line.slice(0, i).trim();
      out[key] = line.slice(i + 1).trim();
    }
  }
  return out;
}

/** `commons-lang3-3.12.0.jar` → {artifactId: commons-lang3, version: 3.12.0}; `spring-core-5.3.9.RELEASE.jar` too. */
export function nameFromFile(file: string): { artifactId: string; version?: string } {
  const base = path.posix.basename(file).replace(/\.(jar|war|ear)$/i, '');
  const m = /^(.+?)-(\d[^-]*(?:-[\w.]+)*)$/.exec(base);
  return m ? { artifactId: m[1], version: m[2] } : { artifactId: base };
}

function digests(buf: Buffer): Hash[] {
  return [
    { alg: 'SHA-1', value: createHash('sha1').update(buf).digest('hex') },
    { alg: 'SHA-256', value: createHash('sha256').update(buf).digest('hex') },
  ];
}

/**
 * Identifies the libraries in one archive. `display` is the location path (`app/x.jar`, or `app/x.jar!/BOOT-INF/lib/y.jar`
 * for a nested jar). An archive that carries libraries (BOOT-INF/lib, WEB-INF/lib) is the application: its own
 * pom.properties is not reported, its libraries are.
 */
export async function identifyArchive(buf: Buffer, display: string, depth = 0): Promise<{ components: Component[]; issues: Issue[] }> {
  const issues: Issue[] = [];
  const components: Component[] = [];
  let files: Map<string, Buffer>;
  try {
    files = await readEntries(buf, (n) => POM_PROPS.test(n) || n === 'META-INF/MANIFEST.MF' || (depth < 2 && NESTED.test(n)));
  } catch (err) {
    return { components, issues: [{ path: display, severity: 'error', message: `not a readable zip archive: ${(err as Error).message}` }] };
  }
  const nested = [...files.keys()].filter((n) => NESTED.test(n)).sort();
  const isApp = nested.some((n) => APP_LIBS.test(n));
  const location = { path: display, source: 'installed' as const };
  if (!isApp) {
    const props = [...files.keys()].filter((n) => POM_PROPS.test(n)).sort();
    // a shaded jar carries several pom.properties: one component each; the jar's digest is only its own when it is one library
    const hashes = props.length <= 1 ? digests(buf) : [];
    for (const n of props) {
      const p = parseProperties(files.get(n)!.toString('utf8'));
      if (!p.groupId || !p.artifactId || !p.version) {
        issues.push({ path: `${display}!/${n}`, severity: 'warning', message: 'pom.properties without groupId, artifactId and version' });
        continue;
      }
      components.push(makeComponent({ ecosystem: 'maven', name: `${p.groupId}:${p.artifactId}`, version: p.version, location, hashes }));
    }
    if (!components.length) {
      const mf = files.has('META-INF/MANIFEST.MF') ? parseManifest(files.get('META-INF/MANIFEST.MF')!.toString('utf8')) : {};
      const fromName = nameFromFile(display);
      const bsn = mf['Bundle-SymbolicName']?.split(';')[0].trim();
      const version = mf['Implementation-Version'] || mf['Bundle-Version'] || fromName.version;
      // the file name is the artifact (Implementation-Title is a display name such as "Apache Tomcat")
      const artifactId = fromName.artifactId;
      // without pom.properties the group is a guess: the vendor id, else the OSGi name, else the artifact itself (as syft does)
      const groupId =
        mf['Implementation-Vendor-Id'] ||
        (bsn && bsn !== artifactId ? bsn.replace(new RegExp(`\\.${artifactId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), '') : undefined) ||
        artifactId;
      if (version && artifactId) {
        components.push(makeComponent({ ecosystem: 'maven', name: `${groupId}:${artifactId}`, version, location, hashes: digests(buf) }));
      } else {
        issues.push({
          path: display,
          severity: 'warning',
          message: 'archive without pom.properties, manifest version or versioned file name: not identified',
        });
      }
    }
  }
  for (const n of nested) {
    const r = await identifyArchive(files.get(n)!, `${display}!/${n}`, depth + 1);
    components.push(...r.components);
    issues.push(...r.issues);
  }
  return { components, issues };
}
