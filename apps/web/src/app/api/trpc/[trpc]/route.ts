import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_MAX_BATCH } from '~/lib/trpc-limits';
import { appRouter } from '~/server/trpc/root';
import { createContext } from '~/server/trpc/trpc';

export const dynamic = 'force-dynamic';

const handler = (req: Request) =>
  fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext,
    maxBatchSize: TRPC_MAX_BATCH,
    onError({ error, path }) {
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path}:`, error.cause ?? error);
    },
    responseMeta: () => ({ headers: new Headers({ 'Cache-Control': 'no-store' }) }),
  });

export { handler as GET, handler as POST };
