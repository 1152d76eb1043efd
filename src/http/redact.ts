// Keeps secrets (tokens, HMAC keys, URL credentials) out of log lines and error messages.

/** Replaces every occurrence of each secret (at least 4 characters) with "***". */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 4) out = out.split(s).join('***');
  }
  return out;
}

/** A URL as it may be shown: no user:password, no query string (signed URLs carry tokens there). */
export function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}${url.search ? '?…' : ''}`;
}
