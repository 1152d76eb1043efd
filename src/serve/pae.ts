// Parses a DSSE pre-authentication encoding: "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body (https://github.com/secure-systems-lab/dsse/blob/master/protocol.md).

export interface ParsedPae {
  payloadType: string;
  payloadBytes: number;
}

/** Returns undefined unless the bytes are exactly one well-formed PAE (so the signer signs nothing else). */
export function parsePae(buf: Buffer): ParsedPae | undefined {
  const prefix = 'DSSEv1 ';
  if (buf.toString('latin1', 0, prefix.length) !== prefix) return undefined;
  let pos = prefix.length;
  const readLen = (): number | undefined => {
    const sp = buf.indexOf(0x20, pos);
    if (sp < 0 || sp - pos > 15) return undefined;
    const digits = buf.toString('latin1', pos, sp);
    if (!/^(0|[1-9]\d*)$/.test(digits)) return undefined;
    pos = sp + 1;
    return Number(digits);
  };
  const typeLen = readLen();
  if (typeLen === undefined || pos + typeLen + 1 > buf.length || buf[pos + typeLen] !== 0x20) return undefined;
  const payloadType = buf.toString('utf8', pos, pos + typeLen);
  pos += typeLen + 1;
  const bodyLen = readLen();
  if (bodyLen === undefined || pos + bodyLen !== buf.length) return undefined;
  return { payloadType, payloadBytes: bodyLen };
}
