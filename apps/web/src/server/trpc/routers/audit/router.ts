import { router } from '../../trpc';
import { listAdminActionsProcedure } from './admin-actions';
import { getAuditEventProcedure } from './get';
import { listAuditEventsProcedure } from './list';
import { auditStatsProcedure } from './stats';

export const auditRouter = router({
  list: listAuditEventsProcedure,
  get: getAuditEventProcedure,
  stats: auditStatsProcedure,
  adminActions: listAdminActionsProcedure,
});
