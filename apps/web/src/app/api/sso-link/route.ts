import { cookies } from 'next/headers';
import { getServerSession } from 'next-auth';
import { consoleEnv } from '~/env';
import { authOptions } from '~/server/auth';
import { consoleServer } from '~/server/console';
import { SSO_LINK_COOKIE, SSO_LINK_TTL_MS, ssoLinkIntent } from '~/server/sso-link';

export const dynamic = 'force-dynamic';

/**
 * POST: the signed-in admin starts linking single sign-on (their Account page); the browser goes
 * on to the provider. Same-origin only (the session cookie is SameSite=Lax, and the Origin header
 * must be the console's).
 */
export async function POST(req: Request) {
  const env = consoleEnv();
  const noStore = { 'Cache-Control': 'no-store' };
  if (req.headers.get('origin') !== new URL(env.NEXTAUTH_URL).origin)
    return Response.json(
      { error: 'Cross-site request refused' },
      { status: 403, headers: noStore },
    );
  if (!env.CONSOLE_OIDC_ISSUER || !env.CONSOLE_OIDC_CLIENT_ID)
    return Response.json(
      { error: 'Single sign-on is not configured' },
      { status: 404, headers: noStore },
    );
  const session = (await getServerSession(await authOptions())) as { adminId?: string } | null;
  if (!session?.adminId)
    return Response.json({ error: 'Sign in first' }, { status: 401, headers: noStore });
  const { ctx, sessionSecret } = await consoleServer();
  (await cookies()).set(
    SSO_LINK_COOKIE,
    ssoLinkIntent(sessionSecret, session.adminId, ctx.clock()),
    {
      httpOnly: true,
      sameSite: 'lax',
      secure: env.NEXTAUTH_URL.startsWith('https://'),
      path: '/api/auth',
      maxAge: SSO_LINK_TTL_MS / 1000,
    },
  );
  return new Response(null, { status: 204, headers: noStore });
}
