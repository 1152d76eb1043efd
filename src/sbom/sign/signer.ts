// A DSSE signer: signs the pre-authentication encoding (PAE) and names its key (https://github.com/secure-systems-lab/dsse).
export interface Signer {
  /** the keyid written in the envelope's signature entry (may be ''). */
  readonly keyid: string;
  /** Ed25519: raw 64-byte signature; ECDSA P-256: DER-encoded signature over SHA-256(pae), as cosign writes them. */
  sign(pae: Buffer): Promise<Buffer>;
}
