import { router } from '../../trpc';
import { createTenantProcedure } from './create';
import { deleteTenantProcedure } from './delete';
import { detachTenantProcedure } from './detach';
import { getTenantProcedure } from './get';
import { listTenantsProcedure } from './list';
import { updateTenantProcedure } from './update';

export const tenantRouter = router({
  list: listTenantsProcedure,
  get: getTenantProcedure,
  create: createTenantProcedure,
  update: updateTenantProcedure,
  delete: deleteTenantProcedure,
  detach: detachTenantProcedure,
});
