// runHttpHook against real loopback servers: the reference receiver and scripted node:http servers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runHttpHook, type HttpHookOptions } from '../../src/lifecycle/hooks/http.ts';
import { startHooksServer } from '../../src/serve/index.ts';
import { context, state, scripted, json, rejects } from './helpers.ts';

const TOKEN = 'tok-3f9a1c77e2b54d08';
const HMAC = 'hmac-key-9c1e5b2a7d3f4e60';
const logs: string[] = [];
const errors: string[] = [];

function opts(url: string, extra: Partial<HttpHookOptions> = {}): HttpHookOptions {
  return {
    url,
    with: { token: { env: 'GATE_TOKEN' }, hmacKey: { env: 'GATE_HMAC' }, requestTimeout: '2s', retries: 3 },
    insecure: false,
    timeoutMs: 5000,
    env: { GATE_TOKEN: TOKEN, GATE_HMAC: HMAC },
    manifestDir: '/nonexistent',
    log: (l) => logs.push(l),
    signal: new AbortController().signal,
    state: state(),
    ...extra,
  };
}

async function fails(p: Promise<unknown>): Promise<Error> {
  const e = await rejects(p);
  errors.push(e.message);
  return e;
}

test('reference receiver: signed request, components sent, policy answers fail for a denied purl', async () => {
  const recv: string[] = [];
  const srv = await startHooksServer({
    token: TOKEN,
    hmacKey: HMAC,
    policy: { deny: [{ purl: 'pkg:npm/request', reason: 'deprecated' }], warn: [] },
    log: (l) => recv.push(l),
  });
  try {
    const e = await fails(
      runHttpHook(
        context(),
        opts(srv.url, { with: { send: ['components'], token: { env: 'GATE_TOKEN' }, hmacKey: { env: 'GATE_HMAC' } } }),
      ),
    );
    assert.match(e.message, /verdict fail/);
    assert.match(e.message, /1 denied package/);
    const line = JSON.parse(recv[0]);
    assert.is(line.status, 200);
    assert.is(line.verdict, 'fail');
    assert.is(line.components, 2);
    assert.is(line.findings, undefined, 'findings were not asked for');
    assert.is(line.extension, 'gate');
    assert.match(line.userAgent, /^bpx\/\d+\.\d+\.\d+/);
    // pass when nothing is denied
    const r = await runHttpHook(
      context(),
      opts(srv.url, {
        with: { send: ['components', 'findings'], token: { env: 'GATE_TOKEN' }, hmacKey: { env: 'GATE_HMAC' } },
        state: state([['express', '4.21.2']]),
      }),
    );
    assert.is(r.verdict, 'pass');
    assert.is(JSON.parse(recv[1]).findings, 1);
    assert.ok(logs.some((l) => l === 'pass: 1 component(s) checked'));
  } finally {
    await srv.close();
  }
});

test('reference receiver: 405 for GET, 400 for non-JSON, 413 above its bound, 401 without a token', async () => {
  const recv: string[] = [];
  const srv = await startHooksServer({ token: TOKEN, maxRequestBytes: 1000, log: (l) => recv.push(l) });
  try {
    const auth = { authorization: `Bearer ${TOKEN}` };
    const get = await fetch(srv.url, { headers: auth });
    assert.is(get.status, 405);
    assert.is(get.headers.get('allow'), 'POST');
    assert.is((await fetch(srv.url, { method: 'POST', headers: auth, body: 'nope' })).status, 400);
    assert.is((await fetch(srv.url, { method: 'POST', headers: auth, body: 'x'.repeat(5000) })).status, 413);
    const noAuth = await fetch(srv.url, { method: 'POST', body: '{}' });
    assert.is(noAuth.status, 401);
    assert.equal(await noAuth.json(), { error: 'missing Bearer token' });
    assert.equal(
      recv.map((l) => JSON.parse(l).status),
      [405, 400, 413, 401],
    );
    for (const l of recv) assert.not.ok(l.includes(TOKEN));
  } finally {
    await srv.close();
  }
});

test('request: headers, HMAC over "<ts>.<body>", body follows send and never mutates the context', async () => {
  const s = await scripted((_n, _req, res) =>
    json(res, 200, { verdict: 'warn', message: 'inventory is behind', findings: [{ severity: 'info', message: 'x' }] }),
  );
  try {
    const ctx = context();
    const before = JSON.stringify(ctx);
    const r = await runHttpHook(
      ctx,
      opts(s.url, { with: { send: ['findings'], token: { env: 'GATE_TOKEN' }, hmacKey: { env: 'GATE_HMAC' } } }),
    );
    assert.is(JSON.stringify(ctx), before);
    assert.is(r.verdict, 'warn');
    assert.equal(r.findings, [{ severity: 'info', message: 'x' }]);
    assert.ok(logs.includes('warn: inventory is behind'));
    const { headers, body } = s.seen[0];
    assert.is(headers.authorization, `Bearer ${TOKEN}`);
    assert.is(headers['content-type'], 'application/json');
    assert.match(String(headers['user-agent']), /^bpx\//);
    const ts = String(headers['x-bpx-timestamp']);
    assert.ok(Math.abs(Number(ts) - Date.now() / 1000) < 10);
    const { createHmac } = await import('node:crypto');
    assert.is(headers['x-bpx-signature'], `sha256=${createHmac('sha256', HMAC).update(`${ts}.${body}`).digest('hex')}`);
    const sent = JSON.parse(body);
    assert.is(sent.components, undefined);
    assert.is(sent.findings.length, 1);
    assert.is(sent.app.name, 'my-app');
  } finally {
    await s.close();
  }
});

test('wrong HMAC key: the reference receiver answers 401, not retried, staging sees the failure', async () => {
  const recv: string[] = [];
  const srv = await startHooksServer({ hmacKey: 'the-receivers-real-key', log: (l) => recv.push(l) });
  try {
    const e = await fails(runHttpHook(context(), opts(srv.url)));
    assert.match(e.message, /401/);
    assert.match(e.message, /not retried/);
    assert.match(e.message, /does not match/);
    assert.is(recv.length, 1);
    assert.is(JSON.parse(recv[0]).status, 401);
    // a stale timestamp (clock 10 minutes behind) is refused too
    const e2 = await fails(
      runHttpHook(
        context(),
        opts(srv.url, { env: { GATE_TOKEN: TOKEN, GATE_HMAC: 'the-receivers-real-key' }, now: () => Date.now() - 600_000 }),
      ),
    );
    assert.match(e2.message, /stale or replayed/);
    // and the right key passes
    const r = await runHttpHook(context(), opts(srv.url, { env: { GATE_TOKEN: TOKEN, GATE_HMAC: 'the-receivers-real-key' } }));
    assert.is(r.verdict, 'pass');
  } finally {
    await srv.close();
  }
});

test('a slow answer past the deadline fails in time', async () => {
  const s = await scripted((_n, _req, res) => setTimeout(() => json(res, 200, { verdict: 'pass' }), 3000).unref());
  try {
    const t0 = Date.now();
    const e = await fails(runHttpHook(context(), opts(s.url, { timeoutMs: 800, with: { requestTimeout: '300ms', retries: 5 } })));
    const took = Date.now() - t0;
    assert.ok(took < 2000, `took ${took} ms`);
    assert.match(e.message, /deadline of 800 ms|no complete answer/);
    assert.ok(s.seen.length >= 2, 'timeouts are retried within the deadline');
  } finally {
    await s.close();
  }
});

test('connection reset then success is retried; always reset gives up after retries', async () => {
  const s = await scripted((n, req, res) => (n === 0 ? req.socket.destroy() : json(res, 200, { verdict: 'pass' })));
  try {
    const r = await runHttpHook(context(), opts(s.url));
    assert.is(r.verdict, 'pass');
    assert.is(s.seen.length, 2);
    assert.ok(logs.some((l) => /attempt 1 failed \(connection/.test(l)));
  } finally {
    await s.close();
  }
  const s2 = await scripted((_n, req) => req.socket.destroy());
  try {
    const e = await fails(runHttpHook(context(), opts(s2.url, { with: { retries: 2 } })));
    assert.match(e.message, /gave up after 3 attempt/);
    assert.is(s2.seen.length, 3);
  } finally {
    await s2.close();
  }
});

test('a 500 then a success is retried with backoff', async () => {
  const s = await scripted((n, _req, res) =>
    n === 0 ? json(res, 500, { error: 'boom' }) : json(res, 200, { verdict: 'pass', detect: { policy: 'v3' } }),
  );
  try {
    const r = await runHttpHook(context(), opts(s.url));
    assert.equal(r.detect, { policy: 'v3' });
    assert.is(s.seen.length, 2);
    assert.ok(s.seen[1].at - s.seen[0].at >= 100, 'waited before retrying');
    // the second attempt is signed afresh
    assert.ok(s.seen[1].headers['x-bpx-signature']);
  } finally {
    await s.close();
  }
});

test('429 with Retry-After is honoured, and refused at once when it exceeds the deadline', async () => {
  const s = await scripted((n, _req, res) =>
    n === 0 ? json(res, 429, { error: 'slow down' }, { 'Retry-After': '1' }) : json(res, 200, { verdict: 'pass' }),
  );
  try {
    const r = await runHttpHook(context(), opts(s.url));
    assert.is(r.verdict, 'pass');
    const gap = s.seen[1].at - s.seen[0].at;
    assert.ok(gap >= 950, `waited ${gap} ms`);
  } finally {
    await s.close();
  }
  const date = new Date(Date.now() + 60_000).toUTCString();
  const s2 = await scripted((_n, _req, res) => json(res, 429, {}, { 'Retry-After': date }));
  try {
    const t0 = Date.now();
    const e = await fails(runHttpHook(context(), opts(s2.url, { timeoutMs: 3000 })));
    assert.ok(Date.now() - t0 < 1000);
    assert.match(e.message, /Retry-After asks for (59|60) s but the deadline/);
    assert.is(s2.seen.length, 1);
  } finally {
    await s2.close();
  }
});

test('garbage JSON, schema mismatch and other 4xx fail without retry', async () => {
  const s = await scripted((n, _req, res) => {
    if (n === 0) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"verdict": "pass",');
    } else if (n === 1) json(res, 200, { verdict: 'maybe', extra: 1 });
    else if (n === 2) json(res, 200, { message: 'no verdict' });
    else json(res, 403, { error: 'forbidden' });
  });
  try {
    assert.match((await fails(runHttpHook(context(), opts(s.url)))).message, /not JSON/);
    const e1 = await fails(runHttpHook(context(), opts(s.url)));
    assert.match(e1.message, /answer\.verdict: must be equal to one of the allowed values \(pass, warn, fail\)/);
    assert.match(e1.message, /must NOT have additional properties 'extra'/);
    assert.match((await fails(runHttpHook(context(), opts(s.url)))).message, /must have required property 'verdict'/);
    const e3 = await fails(runHttpHook(context(), opts(s.url)));
    assert.match(e3.message, /403 Forbidden \(not retried\): \{"error":"forbidden"\}/);
    assert.is(s.seen.length, 4);
  } finally {
    await s.close();
  }
});

test('an oversized body is cut off while streaming (no Content-Length), and by Content-Length', async () => {
  let sent = 0;
  const s = await scripted((n, _req, res) => {
    if (n === 0) {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"verdict":"pass","message":"');
      const chunk = 'x'.repeat(64 * 1024);
      const pump = () => {
        while (sent < 50 * 1024 * 1024 && !res.destroyed) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end('"}');
      };
      res.on('close', () => undefined);
      pump();
    } else json(res, 200, { verdict: 'pass', message: 'y'.repeat(5000) });
  });
  try {
    const e = await fails(runHttpHook(context(), opts(s.url, { with: { maxResponseBytes: 100_000 } })));
    assert.match(e.message, /larger than the limit of 100000 bytes/);
    assert.ok(sent < 10 * 1024 * 1024, `server got to write ${sent} bytes`);
    const e2 = await fails(runHttpHook(context(), opts(s.url, { with: { maxResponseBytes: 1000 } })));
    assert.match(e2.message, /answer of \d+ bytes is larger than the limit of 1000 bytes/);
    assert.is(s.seen.length, 2);
  } finally {
    await s.close();
  }
});

test('http:// to a non-loopback host is refused unless insecure; insecure goes through HTTP_PROXY', async () => {
  const e = await fails(runHttpHook(context(), opts('http://hooks.example.invalid/gate')));
  assert.match(e.message, /plain http:\/\/ to the non-loopback host hooks\.example\.invalid/);
  const target = await scripted((_n, _req, res) => json(res, 200, { verdict: 'pass', message: 'via proxy' }));
  const proxied: string[] = [];
  // a tiny forward proxy: absolute-form request line → same path on the loopback target
  const proxy = createServer((req, res) => {
    proxied.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const u = new URL(req.url!);
      const r = await fetch(`http://127.0.0.1:${target.port}${u.pathname}`, {
        method: 'POST',
        body: Buffer.concat(chunks),
        headers: { 'content-type': 'application/json' },
      });
      res.writeHead(r.status, { 'Content-Type': 'application/json' });
      res.end(Buffer.from(await r.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  try {
    const env = { GATE_TOKEN: TOKEN, GATE_HMAC: HMAC, HTTP_PROXY: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` };
    const r = await runHttpHook(context(), opts('http://hooks.example.invalid/gate?sig=abc', { insecure: true, env }));
    assert.is(r.message, 'via proxy');
    assert.equal(proxied, ['POST http://hooks.example.invalid/gate?sig=abc']);
    // NO_PROXY wins: a direct connection to an unresolvable host fails (and the query string is not shown)
    const e2 = await fails(
      runHttpHook(
        context(),
        opts('http://hooks.example.invalid/gate?sig=abc', {
          insecure: true,
          timeoutMs: 1500,
          env: { ...env, NO_PROXY: '.example.invalid' },
        }),
      ),
    );
    assert.match(e2.message, /connection failed|deadline/);
    assert.not.match(e2.message, /sig=abc/);
    assert.is(proxied.length, 1);
  } finally {
    proxy.close();
    await target.close();
  }
});

test('bad settings and missing secrets give clear errors', async () => {
  const e = await fails(
    runHttpHook(
      context(),
      opts('http://127.0.0.1:9/', { with: { send: ['everything'], token: 'literal', retries: -1, requestTimeout: '10 sec' } }),
    ),
  );
  assert.match(e.message, /^invalid settings: /);
  assert.match(e.message, /with\.send\.0: must be equal to one of the allowed values \(components, findings\)/);
  assert.match(e.message, /with\.token: must be object/);
  assert.match(e.message, /with\.retries: must be >= 0/);
  const e2 = await fails(runHttpHook(context(), opts('http://127.0.0.1:9/', { env: { GATE_HMAC: HMAC } })));
  assert.match(e2.message, /with\.token\.env names GATE_TOKEN, which is not set/);
  const e3 = await fails(runHttpHook(context(), opts('http://127.0.0.1:9/', { with: { caFile: 'missing-ca.pem' } })));
  assert.match(e3.message, /with\.caFile: cannot read \/nonexistent\/missing-ca\.pem: ENOENT/);
  const e4 = await fails(runHttpHook(context(), opts('ftp://127.0.0.1/')));
  assert.match(e4.message, /uses ftp:/);
  const e5 = await fails(runHttpHook(context(), opts('http://127.0.0.1:9/', { with: { retries: 0 } })));
  assert.match(e5.message, /ECONNREFUSED/);
});

test('the runner abort signal stops a request in flight and the backoff wait', async () => {
  const s = await scripted((n, _req, res) => (n === 0 ? json(res, 503, {}, { 'Retry-After': '3' }) : undefined));
  try {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 300);
    const t0 = Date.now();
    const e = await fails(runHttpHook(context(), opts(s.url, { signal: ac.signal })));
    assert.match(e.message, /aborted/);
    assert.ok(Date.now() - t0 < 1500);
    const ac2 = new AbortController();
    setTimeout(() => ac2.abort(), 300);
    const e2 = await fails(runHttpHook(context(), opts(s.url, { signal: ac2.signal, with: {} })));
    assert.match(e2.message, /aborted/);
  } finally {
    await s.close();
  }
});

test('the token and HMAC key never appear in a log line or an error', async () => {
  // a receiver that echoes the Authorization header back in its error and its message
  const s = await scripted((n, req, res) =>
    n === 0
      ? json(res, 500, { echo: req.headers.authorization })
      : n === 1
        ? json(res, 400, { echo: req.headers.authorization, key: HMAC })
        : json(res, 200, { verdict: 'warn', message: `you sent ${req.headers.authorization}` }),
  );
  try {
    await fails(runHttpHook(context(), opts(s.url)));
    const r = await runHttpHook(context(), opts(s.url));
    assert.is(r.message, 'you sent Bearer ***');
  } finally {
    await s.close();
  }
  assert.ok(errors.length > 10 && logs.length > 3);
  for (const line of [...logs, ...errors]) {
    assert.not.ok(line.includes(TOKEN), `token leaked: ${line}`);
    assert.not.ok(line.includes(HMAC), `hmac key leaked: ${line}`);
  }
});

test.run();
