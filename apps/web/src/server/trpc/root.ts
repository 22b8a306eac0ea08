import { accountRouter } from './routers/account/router';
import { adminRouter } from './routers/admin/router';
import { auditRouter } from './routers/audit/router';
import { clientRouter } from './routers/client/router';
import { invitationRouter } from './routers/invitation/router';
import { issuerRouter } from './routers/issuer/router';
import { keyRouter } from './routers/key/router';
import { ruleRouter } from './routers/rule/router';
import { simulatorRouter } from './routers/simulator/router';
import { tenantRouter } from './routers/tenant/router';
import { router } from './trpc';

/** Wires the routers; each procedure lives in its own file under routers/<area>/. */
export const appRouter = router({
  tenant: tenantRouter,
  client: clientRouter,
  issuer: issuerRouter,
  key: keyRouter,
  audit: auditRouter,
  rule: ruleRouter,
  simulator: simulatorRouter,
  admin: adminRouter,
  account: accountRouter,
  invitation: invitationRouter,
});

export type AppRouter = typeof appRouter;
