/**
 * The console's Content-Security-Policy (decision 0015): scripts only from the console itself
 * and carrying this response's nonce (Next.js puts it on its own scripts; 'strict-dynamic' lets
 * them load the chunks they need), nothing framed, nothing plugged in, forms and
 * connections to the console only. A new nonce per response: every page is rendered per request.
 * Styles stay 'unsafe-inline' (see below).
 */
export function contentSecurityPolicy(
  nonce: string,
  options: { dev: boolean; https: boolean },
): string {
  const directives = [
    "default-src 'self'",
    // React needs eval in development only (error stacks); never in production.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    // Styles: the console's stylesheet, and the <style> elements and style attributes that
    // Radix's dialogs and popovers set at run time (they carry no nonce). Inline styles cannot
    // run code; scripts stay nonce-only (decision 0015).
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/** For responses that are not pages (the API): nothing may load, nothing may frame them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";

/** A nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
