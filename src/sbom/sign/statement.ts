// in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md) with an SBOM predicate.
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';

export interface Subject {
  name: string;
  digest: { sha256: string };
}

export interface Statement {
  _type: string;
  subject: Subject[];
  predicateType: string;
  predicate: Record<string, unknown>;
}

/** `predicateType` names the document's format (FORMATS in src/sbom/formats/index.ts). */
export function makeStatement(
  subjects: ReadonlyArray<{ name: string; sha256: string }>,
  bom: Record<string, unknown>,
  predicateType: string,
): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [...subjects].sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicateType,
    predicate: bom,
  };
}
