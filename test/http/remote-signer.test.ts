// Remote DSSE signing end to end: createRemoteSigner against the reference signing service (serve-signer).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generateKeyPairSync, verify, createHash, createPublicKey } from 'node:crypto';
import { createRemoteSigner } from '../../src/sbom/sign/remote.ts';
import { startSignerServer, loadSigningKey } from '../../src/serve/index.ts';
import { rejects } from './helpers.ts';
import { signEnvelope, preAuthEncoding, INTOTO_PAYLOAD_TYPE } from '../../src/sbom/sign/dsse.ts';
import { loadPublicKey, verifySignature, generateKeyPair, type KeyType } from '../../src/sbom/sign/keys.ts';

const TOKEN = 'signer-token-5e2d8a9b';
const HMAC = 'signer-hmac-0c7f3e1d';

/** DSSE PAE as the spec defines it. */
function pae(type: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`DSSEv1 ${Buffer.byteLength(type)} ${type} ${body.length} `), body]);
}

const statement = Buffer.from(
  JSON.stringify({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app', digest: { sha256: 'ab'.repeat(32) } }],
    predicateType: 'https://cyclonedx.org/bom',
    predicate: { bomFormat: 'CycloneDX' },
  }),
);
const TYPE = 'application/vnd.in-toto+json';

for (const kind of ['ed25519', 'ec'] as const) {
  test(`${kind}: envelope signed remotely verifies with the public key; keyid = sha256(SPKI DER)`, async () => {
    const { privateKey, publicKey } =
      kind === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const key = loadSigningKey(pem, 'key.pem');
    const logs: string[] = [];
    const srv = await startSignerServer({ key, token: TOKEN, hmacKey: HMAC, log: (l) => logs.push(l) });
    try {
      const signer = createRemoteSigner({ url: srv.url, token: TOKEN, hmacKey: HMAC, timeoutMs: 5000, publicKeyPem: key.publicKeyPem });
      assert.is(signer.keyid, '');
      const data = pae(TYPE, statement);
      const sig = await signer.sign(data);
      const expectedKeyid = createHash('sha256')
        .update(publicKey.export({ type: 'spki', format: 'der' }))
        .digest('hex');
      assert.is(signer.keyid, expectedKeyid);
      const envelope = {
        payloadType: TYPE,
        payload: statement.toString('base64'),
        signatures: [{ keyid: signer.keyid, sig: sig.toString('base64') }],
      };
      // verify the envelope as a verifier would: rebuild the PAE from the envelope
      const rebuilt = pae(envelope.payloadType, Buffer.from(envelope.payload, 'base64'));
      const s = Buffer.from(envelope.signatures[0].sig, 'base64');
      if (kind === 'ed25519') {
        assert.is(s.length, 64);
        assert.ok(verify(null, rebuilt, publicKey, s));
      } else {
        assert.is(s[0], 0x30, 'DER sequence');
        assert.ok(verify('sha256', rebuilt, { key: publicKey, dsaEncoding: 'der' }, s));
      }
      // a changed payload does not verify
      assert.not.ok(verify(kind === 'ed25519' ? null : 'sha256', pae(TYPE, Buffer.from('{}')), publicKey, s));
      const line = JSON.parse(logs[0]);
      assert.equal([line.status, line.payloadType, line.payloadBytes, line.keyid], [200, TYPE, statement.length, expectedKeyid]);
      for (const l of logs) assert.not.ok(l.includes(TOKEN) || l.includes(HMAC));
    } finally {
      await srv.close();
    }
  });
}

for (const type of ['ed25519', 'ecdsa-p256'] as KeyType[]) {
  test(`${type}: signEnvelope (builtin:sbom's signing) with the remote signer is accepted by the local verifier`, async () => {
    const pair = generateKeyPair(type);
    const srv = await startSignerServer({ key: loadSigningKey(pair.privatePem, 'key.pem'), token: TOKEN });
    try {
      const env = await signEnvelope(INTOTO_PAYLOAD_TYPE, statement, createRemoteSigner({ url: srv.url, token: TOKEN, timeoutMs: 5000 }));
      assert.is(env.signatures[0].keyid, pair.keyid, 'same keyid as local signing');
      const pub = loadPublicKey(pair.publicPem);
      const pae = preAuthEncoding(env.payloadType, Buffer.from(env.payload, 'base64'));
      assert.ok(verifySignature(pub, pae, Buffer.from(env.signatures[0].sig, 'base64')));
      assert.not.ok(
        verifySignature(
          pub,
          preAuthEncoding(env.payloadType, Buffer.from('{"tampered":true}')),
          Buffer.from(env.signatures[0].sig, 'base64'),
        ),
      );
    } finally {
      await srv.close();
    }
  });
}

test('wrong token or HMAC: 401, not retried, secrets not in the error', async () => {
  const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'k.pem');
  const logs: string[] = [];
  const srv = await startSignerServer({ key, token: TOKEN, hmacKey: HMAC, log: (l) => logs.push(l) });
  try {
    const e = await rejects(
      createRemoteSigner({ url: srv.url, token: 'wrong-token-123', hmacKey: HMAC, timeoutMs: 3000 }).sign(pae(TYPE, statement)),
    );
    assert.match(e.message, /401 Unauthorized \(not retried\): \{"error":"wrong Bearer token"\}/);
    assert.not.ok(e.message.includes('wrong-token-123'));
    const e2 = await rejects(
      createRemoteSigner({ url: srv.url, token: TOKEN, hmacKey: 'not-the-key', timeoutMs: 3000 }).sign(pae(TYPE, statement)),
    );
    assert.match(e2.message, /X-Bpx-Signature does not match/);
    assert.is(logs.length, 2);
    // the service signs DSSE PAEs only
    const e3 = await rejects(
      createRemoteSigner({ url: srv.url, token: TOKEN, hmacKey: HMAC, timeoutMs: 3000 }).sign(Buffer.from('arbitrary bytes')),
    );
    assert.match(e3.message, /400 .*not a DSSE pre-authentication encoding/);
  } finally {
    await srv.close();
  }
});

test('a signature that does not verify with the configured public key is refused', async () => {
  const key = loadSigningKey(generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 'k.pem');
  const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const srv = await startSignerServer({ key });
  try {
    const e = await rejects(createRemoteSigner({ url: srv.url, timeoutMs: 3000, publicKeyPem: other }).sign(pae(TYPE, statement)));
    assert.match(e.message, /does not verify with the configured public key/);
  } finally {
    await srv.close();
  }
});

test('keys: RSA and P-384 are refused with the file named; SEC1 EC keys load', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  assert.throws(() => loadSigningKey(rsa, 'rsa.pem'), /rsa\.pem: unsupported key type rsa/);
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  assert.throws(() => loadSigningKey(p384, 'p384.pem'), /unsupported key type ec \(secp384r1\)/);
  assert.throws(() => loadSigningKey('garbage', 'g.pem'), /g\.pem: not a readable PEM private key/);
  const sec1 = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const k = loadSigningKey(sec1, 'sec1.pem');
  assert.is(k.algorithm, 'ecdsa-p256');
  assert.is(
    k.keyid,
    createHash('sha256')
      .update(createPublicKey(k.publicKeyPem).export({ type: 'spki', format: 'der' }))
      .digest('hex'),
  );
});

test('http:// to a non-loopback signing service is refused', () => {
  assert.throws(
    () => createRemoteSigner({ url: 'http://signer.example.invalid/' }),
    /signingKey\.http uses plain http:\/\/ to the non-loopback host/,
  );
});

test.run();
