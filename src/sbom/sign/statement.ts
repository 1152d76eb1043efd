// in-toto Statement v1 (https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md) with a CycloneDX predicate.
export const STATEMENT_TYPE = 'https://in-toto.io/Statement/v1';
export const CYCLONEDX_PREDICATE = 'https://cyclonedx.org/bom';

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

export function makeStatement(subjects: ReadonlyArray<{ name: string; sha256: string }>, bom: Record<string, unknown>): Statement {
  return {
    _type: STATEMENT_TYPE,
    subject: [...subjects].sort((a, b) => (a.name < b.name ? -1 : 1)).map((s) => ({ name: s.name, digest: { sha256: s.sha256 } })),
    predicateType: CYCLONEDX_PREDICATE,
    predicate: bom,
  };
}
