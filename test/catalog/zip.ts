// Builds a zip (a jar) in memory with yazl, for the JVM catalog tests and bench.
import yazl from 'yazl';

/** `compress: false` stores the entries uncompressed, as Spring Boot stores its BOOT-INF/lib jars. */
export function zip(entries: Record<string, string | Buffer>, compress = true): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of Object.entries(entries))
    z.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, { compress, mtime: new Date(0) });
  z.end();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    z.outputStream.on('error', reject);
  });
}
