// The small pieces of the outbound HTTP client: NO_PROXY, Retry-After, backoff, HMAC, URL policy, redaction, durations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { proxyFor, bypassesProxy } from '../../src/http/proxy.ts';
import { parseRetryAfter, backoffMs, isRetryableStatus } from '../../src/http/retry.ts';
import { signBody, verifySignature } from '../../src/http/hmac.ts';
import { isLoopbackHost, checkHookUrl } from '../../src/http/url-policy.ts';
import { redact, displayUrl } from '../../src/http/redact.ts';
import { parseDuration } from '../../src/lifecycle/hooks/http-settings.ts';

test('NO_PROXY forms', () => {
  const u = (s: string) => new URL(s);
  assert.ok(bypassesProxy(u('https://a.corp.example/x'), '.corp.example'));
  assert.ok(bypassesProxy(u('https://corp.example/x'), 'corp.example'));
  assert.ok(bypassesProxy(u('https://a.corp.example/x'), '*.corp.example'));
  assert.not.ok(bypassesProxy(u('https://notcorp.example/x'), 'corp.example'));
  assert.ok(bypassesProxy(u('https://10.1.2.3/x'), 'localhost, 10.0.0.0/8'));
  assert.not.ok(bypassesProxy(u('https://11.1.2.3/x'), '10.0.0.0/8'));
  assert.ok(bypassesProxy(u('https://h.example:8443/x'), 'h.example:8443'));
  assert.not.ok(bypassesProxy(u('https://h.example/x'), 'h.example:8443'));
  assert.ok(bypassesProxy(u('https://[::1]:9/x'), '::1'));
  assert.ok(bypassesProxy(u('https://anything/x'), '*'));
  assert.not.ok(bypassesProxy(u('https://anything/x'), undefined));
});

test('proxyFor: scheme-specific variables, lower case first, bare host:port accepted', () => {
  const url = new URL('https://hooks.example/x');
  assert.is(proxyFor(url, { HTTPS_PROXY: 'proxy:3128' })?.href, 'http://proxy:3128/');
  assert.is(proxyFor(url, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })?.host, 'lower:1');
  assert.is(proxyFor(url, { HTTP_PROXY: 'http://p:1' }), undefined);
  assert.is(proxyFor(new URL('http://h/x'), { HTTP_PROXY: 'http://p:1' })?.host, 'p:1');
  assert.is(proxyFor(url, { HTTPS_PROXY: 'http://p:1', NO_PROXY: 'hooks.example' }), undefined);
  assert.throws(() => proxyFor(url, { HTTPS_PROXY: 'socks5://p:1' }), /HTTPS_PROXY setting is not an http:\/\/ proxy URL/);
});

test('Retry-After: seconds, HTTP-date, junk', () => {
  const now = Date.parse('Tue, 24 Nov 2026 00:00:00 GMT');
  assert.is(parseRetryAfter('7', now), 7000);
  assert.is(parseRetryAfter('Tue, 24 Nov 2026 00:00:30 GMT', now), 30_000);
  assert.is(parseRetryAfter('Mon, 23 Nov 2026 00:00:00 GMT', now), 0);
  assert.is(parseRetryAfter('soon', now), undefined);
  assert.is(parseRetryAfter(undefined, now), undefined);
});

test('backoff grows, is jittered within [ceiling/2, ceiling], and is capped; retryable statuses', () => {
  assert.is(
    backoffMs(0, () => 0),
    125,
  );
  assert.is(
    backoffMs(0, () => 1),
    250,
  );
  assert.is(
    backoffMs(3, () => 1),
    2000,
  );
  assert.is(
    backoffMs(20, () => 1),
    8000,
  );
  assert.equal([429, 500, 503, 400, 401, 404, 409].map(isRetryableStatus), [true, true, true, false, false, false, false]);
});

test('HMAC: the documented example, replay window, tampering', () => {
  // docs/http-extensions.md walks through exactly this example
  const sig = signBody('s3cret', '1732406400', '{"version":1}');
  assert.is(sig, 'sha256=f605a36f9b34a7ae1266e5bcb98b934ec120fd038e26f6320a15606b8f0dd6cf');
  const body = Buffer.from('{"version":1}');
  assert.equal(verifySignature('s3cret', { timestamp: '1732406400', signature: sig }, body, 1732406400 + 299), { ok: true });
  assert.match(
    (verifySignature('s3cret', { timestamp: '1732406400', signature: sig }, body, 1732406400 + 301) as { reason: string }).reason,
    /stale/,
  );
  assert.match(
    (verifySignature('s3cret', { timestamp: '1732406400', signature: sig }, Buffer.from('{"version":2}'), 1732406400) as { reason: string })
      .reason,
    /does not match/,
  );
  assert.match(
    (verifySignature('s3cret', { timestamp: '1732406400.5', signature: sig }, body, 1732406400) as { reason: string }).reason,
    /not unix seconds/,
  );
  assert.match((verifySignature('s3cret', {}, body, 0) as { reason: string }).reason, /missing/);
});

test('loopback and URL policy', () => {
  for (const h of ['localhost', '127.0.0.1', '127.9.9.9', '[::1]', '::1', 'app.localhost']) assert.ok(isLoopbackHost(h), h);
  for (const h of ['128.0.0.1', '10.0.0.1', 'localhost.example', '[::2]', 'example.com']) assert.not.ok(isLoopbackHost(h), h);
  assert.is(checkHookUrl('http://[::1]:8080/x', false).port, '8080');
  assert.throws(() => checkHookUrl('http://10.0.0.1/x', false), /non-loopback host 10\.0\.0\.1/);
  assert.is(checkHookUrl('http://10.0.0.1/x', true).hostname, '10.0.0.1');
  assert.throws(() => checkHookUrl('not a url', false), /not a valid URL/);
});

test('redaction and display URLs', () => {
  assert.is(redact('Bearer abcd1234 and abcd1234', ['abcd1234', undefined, 'ab']), 'Bearer *** and ***');
  assert.is(displayUrl(new URL('https://u:p@h.example:8443/a/b?token=x')), 'https://h.example:8443/a/b?…');
});

test('durations', () => {
  assert.equal(['10s', '250ms', '2m', '1.5s'].map(parseDuration), [10_000, 250, 120_000, 1500]);
  assert.is(parseDuration(3), 3000);
});

test.run();
