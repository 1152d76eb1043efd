// Gradle dependency verification metadata (https://docs.gradle.org/current/userguide/dependency_verification.html): gradle/verification-metadata.xml.
import { XMLParser } from 'fast-xml-parser';
import type { Hash, HashAlg, Issue } from '../../../model/index.ts';

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  isArray: (name) =>
    name === 'component' || name === 'artifact' || name === 'sha1' || name === 'sha256' || name === 'sha512' || name === 'md5',
});

const ALGS: [string, HashAlg][] = [
  ['md5', 'MD5'],
  ['sha1', 'SHA-1'],
  ['sha256', 'SHA-256'],
  ['sha512', 'SHA-512'],
];

type Node = Record<string, unknown>;
const list = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);

export interface VerificationMetadata {
  /** `group:name@version` → digests of its main jar artifact (`<name>-<version>.jar`) */
  jars: Map<string, Hash[]>;
  /** how many `<component>` elements the file has */
  components: number;
}

/** The digests Gradle verified for each component's jar; other artifacts (.pom, .module, sources) are not the shipped file. */
export function parseVerificationMetadata(text: string, path: string): { meta: VerificationMetadata; issues: Issue[] } {
  const meta: VerificationMetadata = { jars: new Map(), components: 0 };
  let doc: Node;
  try {
    doc = xml.parse(text, true) as Node;
  } catch (err) {
    const m = /Line:?\s*(\d+)/i.exec((err as Error).message ?? '');
    return {
      meta,
      issues: [
        {
          path,
          ...(m ? { line: Number(m[1]) } : {}),
          severity: 'error',
          message: `not well-formed XML: ${(err as Error).message.split('\n')[0]}`,
        },
      ],
    };
  }
  const root = (doc['verification-metadata'] ?? {}) as Node;
  for (const c of list((root.components as Node | undefined)?.component)) {
    meta.components++;
    const g = String(c.group ?? '');
    const n = String(c.name ?? '');
    const v = String(c.version ?? '');
    const jar = list(c.artifact).find((a) => a.name === `${n}-${v}.jar`);
    if (!jar) continue;
    const hashes: Hash[] = [];
    for (const [tag, alg] of ALGS) {
      const value = list(jar[tag])[0]?.value;
      if (typeof value === 'string' && /^[0-9a-fA-F]+$/.test(value)) hashes.push({ alg, value: value.toLowerCase() });
    }
    if (hashes.length) meta.jars.set(`${g}:${n}@${v}`, hashes);
  }
  return { meta, issues: [] };
}
