import NextAuth from 'next-auth';
import { authOptions } from '~/server/auth';

export const dynamic = 'force-dynamic';

async function handler(req: Request, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(req as never, { params: await ctx.params } as never, await authOptions());
}

export { handler as GET, handler as POST };
