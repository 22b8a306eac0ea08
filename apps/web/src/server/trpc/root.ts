import { auditRouter } from './routers/audit/router';
import { tenantRouter } from './routers/tenant/router';
import { router } from './trpc';

/** Wires the routers; each procedure lives in its own file under routers/<area>/. */
export const appRouter = router({
  tenant: tenantRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
