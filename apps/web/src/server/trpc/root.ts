import { tenantRouter } from './routers/tenant/router';
import { router } from './trpc';

/** Wires the routers; each procedure lives in its own file under routers/<area>/. */
export const appRouter = router({
  tenant: tenantRouter,
});

export type AppRouter = typeof appRouter;
