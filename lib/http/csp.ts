/**
 * The Content-Security-Policy of every page, with a fresh nonce per response (proxy.ts).
 * Scripts run only with the nonce that Next.js puts on its own script tags while rendering
 * ('strict-dynamic' lets those load their chunks): no 'unsafe-inline', so injected markup
 * cannot run script. Styles keep 'unsafe-inline': style attributes cannot carry a nonce, and
 * CSS cannot run script. No 'unsafe-eval': production React and Next.js do not use eval.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** 128 bits from the platform's CSPRNG, base64 (the nonce-source grammar). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
