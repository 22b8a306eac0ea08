/**
 * The one check for every redirect target the console accepts from a request (the sign-in
 * page's `callbackUrl`, next-auth's redirect callback): a path on the console itself, or the
 * fallback. Browsers read `//host`, `/\host` and `\\host` as another host (backslashes become
 * slashes, tabs and newlines are dropped), so any backslash, control character or a second
 * leading slash is refused before the path is resolved against the console's own origin.
 */
export function safeRedirectPath(target: unknown, fallback = '/tenants'): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > 2048) return fallback;
  if (!target.startsWith('/') || target.startsWith('//')) return fallback;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point
  if (/[\\\u0000-\u001f\u007f]/.test(target)) return fallback;
  const base = 'https://console.invalid';
  let url: URL;
  try {
    url = new URL(target, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * An absolute URL next-auth may send the browser to: on the console's origin (`baseUrl`), as a
 * relative path or a full URL; anything else goes to the console's start page.
 */
export function safeRedirectUrl(url: string, baseUrl: string): string {
  const base = new URL(baseUrl);
  if (url.startsWith('/')) return new URL(safeRedirectPath(url), base).toString();
  try {
    const parsed = new URL(url);
    if (parsed.origin === base.origin)
      return new URL(
        safeRedirectPath(`${parsed.pathname}${parsed.search}${parsed.hash}`),
        base,
      ).toString();
  } catch {
    // not a URL: the start page
  }
  return new URL('/tenants', base).toString();
}
