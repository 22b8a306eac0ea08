import { type NextRequest, NextResponse } from 'next/server';
import { consoleEnv } from '~/env';
import { contentSecurityPolicy, newNonce } from '~/lib/csp';

/**
 * Every page gets a Content-Security-Policy with a fresh nonce (decision 0015). Next.js reads
 * the policy from the request to put the nonce on the scripts it renders, so it is set on the
 * request and on the response.
 */
export function proxy(request: NextRequest) {
  const env = consoleEnv();
  const policy = contentSecurityPolicy(newNonce(), {
    dev: env.NODE_ENV === 'development',
    https: env.NEXTAUTH_URL.startsWith('https://'),
  });
  const headers = new Headers(request.headers);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  matcher: [
    // Pages only: not the API (next.config.ts gives it a policy of its own) nor static files.
    '/((?!api/|_next/static/|_next/image|icon.svg|favicon.ico).*)',
  ],
};
