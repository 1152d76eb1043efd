// HTTPS hooks with a self-signed CA (made by openssl), refused without the bundle, and through a CONNECT proxy.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { execa } from 'execa';
import { runHttpHook, type HttpHookOptions } from '../../src/lifecycle/hooks/http.ts';
import { context, state, rejects } from './helpers.ts';
import { fetchBuffered, openStream, type HttpSettings } from '../../src/fleet/sync/http.ts';

const dir = mkdtempSync(join(tmpdir(), 'bpx-tls-'));
const logs: string[] = [];
let httpsUrl = '';
let port = 0;
let proxyPort = 0;
let hits = 0;
const connects: string[] = [];
let closeAll: () => void = () => undefined;

function opts(url: string, extra: Partial<HttpHookOptions> = {}): HttpHookOptions {
  return {
    url,
    with: { caFile: 'ca.pem', retries: 2, requestTimeout: '2s' },
    insecure: false,
    timeoutMs: 5000,
    env: {},
    manifestDir: dir,
    log: (l) => logs.push(l),
    signal: new AbortController().signal,
    state: state(),
    ...extra,
  };
}

test.before(async () => {
  const o = { cwd: dir };
  await execa(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/CN=bpx test CA',
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    ],
    o,
  );
  await execa(
    'openssl',
    [
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    ],
    o,
  );
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n');
  await execa(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    ],
    o,
  );
  const server = createHttpsServer(
    { key: readFileSync(join(dir, 'server.key')), cert: readFileSync(join(dir, 'server.pem')) },
    (req, res) => {
      hits++;
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ verdict: 'pass', message: `tls ok ${req.url}` }));
      });
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  httpsUrl = `https://localhost:${port}/hook`;
  // a tiny CONNECT proxy: records the authority, then pipes bytes both ways
  const proxy = createHttpServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on('connect', (req, clientSocket, head) => {
    connects.push(String(req.url));
    if (req.headers['proxy-authorization'] !== `Basic ${Buffer.from('ops:p@ss').toString('base64')}`) {
      clientSocket.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n');
      return;
    }
    const [h, p] = String(req.url).split(':');
    const upstream = connect(Number(p), h === 'localhost' ? '127.0.0.1' : h, () => {
      clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(clientSocket);
      clientSocket.pipe(upstream);
    });
    upstream.on('error', () => clientSocket.destroy());
    clientSocket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  proxyPort = (proxy.address() as AddressInfo).port;
  closeAll = () => {
    server.closeAllConnections();
    server.close();
    proxy.closeAllConnections();
    proxy.close();
  };
});

test.after(() => {
  closeAll();
  rmSync(dir, { recursive: true, force: true });
});

test('the CA bundle given as caFile (relative to the manifest dir) is trusted', async () => {
  const r = await runHttpHook(context(), opts(httpsUrl));
  assert.is(r.message, 'tls ok /hook');
  const r2 = await runHttpHook(context(), opts(`https://127.0.0.1:${port}/ip`));
  assert.is(r2.message, 'tls ok /ip', 'IP SAN checked without SNI');
});

test('without the bundle the self-signed chain is refused, at once and without retries', async () => {
  const before = hits;
  const t0 = Date.now();
  const e = await rejects(runHttpHook(context(), opts(httpsUrl, { with: { retries: 3 } })));
  assert.match(
    e.message,
    /TLS certificate not accepted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY)\)/,
  );
  assert.ok(Date.now() - t0 < 1000);
  assert.is(hits, before);
});

test('a bundle that is not PEM is a clear error', async () => {
  writeFileSync(join(dir, 'junk.pem'), 'not a certificate');
  const e = await rejects(runHttpHook(context(), opts(httpsUrl, { with: { caFile: 'junk.pem' } })));
  assert.match(e.message, /with\.caFile: .*junk\.pem holds no PEM certificate/);
});

test('HTTPS_PROXY: a CONNECT tunnel, with proxy credentials; TLS still verified end to end; NO_PROXY bypasses', async () => {
  const proxyUrl = `http://ops:p%40ss@127.0.0.1:${proxyPort}`;
  const r = await runHttpHook(context(), opts(httpsUrl, { env: { HTTPS_PROXY: proxyUrl } }));
  assert.is(r.message, 'tls ok /hook');
  assert.equal(connects, [`localhost:${port}`]);
  // through the proxy without the bundle: refused
  const e = await rejects(runHttpHook(context(), opts(httpsUrl, { with: {}, env: { https_proxy: proxyUrl } })));
  assert.match(e.message, /TLS certificate not accepted/);
  // wrong proxy credentials: 407, not retried
  const e2 = await rejects(runHttpHook(context(), opts(httpsUrl, { env: { HTTPS_PROXY: `http://ops:wrong@127.0.0.1:${proxyPort}` } })));
  assert.match(e2.message, /refused the tunnel: HTTP 407/);
  assert.not.match(e2.message, /wrong/);
  const n = connects.length;
  const r3 = await runHttpHook(context(), opts(httpsUrl, { env: { HTTPS_PROXY: proxyUrl, NO_PROXY: 'localhost' } }));
  assert.is(r3.message, 'tls ok /hook');
  assert.is(connects.length, n, 'NO_PROXY=localhost went direct');
});

test('NODE_TLS_REJECT_UNAUTHORIZED=0 (an app can set it for its staging) does not turn the check off: refused direct, through a proxy, and by fleet sync', async () => {
  const before = process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  const warn = process.emitWarning;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  // Node warns once that the variable makes connections insecure; the warning is not this test's output
  process.emitWarning = () => {};
  try {
    const e = await rejects(runHttpHook(context(), opts(httpsUrl, { with: {} })));
    assert.match(e.message, /TLS certificate not accepted/);
    const proxied = { HTTPS_PROXY: `http://ops:p%40ss@127.0.0.1:${proxyPort}` };
    const e2 = await rejects(runHttpHook(context(), opts(httpsUrl, { with: {}, env: proxied })));
    assert.match(e2.message, /TLS certificate not accepted/);
    const settings: HttpSettings = { env: {}, timeoutMs: 2000, idleMs: 2000 };
    const e3 = await fetchBuffered(new URL(httpsUrl), {}, settings).then(
      () => new Error('answered'),
      (err: Error) => err,
    );
    assert.match(e3.message, /TLS certificate not accepted/);
    const e4 = await openStream(new URL(httpsUrl), {}, settings).then(
      (r) => (r.body.destroy(), new Error('answered')),
      (err: Error) => err,
    );
    assert.match(e4.message, /TLS certificate not accepted/);
    // the same server answers once its CA is given: the refusals above are the certificate check
    const ok = await fetchBuffered(new URL(httpsUrl), {}, { ...settings, ca: readFileSync(join(dir, 'ca.pem'), 'utf8') });
    assert.is(ok.status, 200);
  } finally {
    if (before === undefined) delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
    else process.env.NODE_TLS_REJECT_UNAUTHORIZED = before;
    process.emitWarning = warn;
  }
});

test.run();
