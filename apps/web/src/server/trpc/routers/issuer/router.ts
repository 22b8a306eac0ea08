import { router } from '../../trpc';
import { checkSampleTokenProcedure } from './check-sample-token';
import { createIssuerProcedure } from './create';
import { deleteIssuerProcedure } from './delete';
import { fetchIssuerKeysProcedure } from './fetch-keys';
import { listIssuersProcedure } from './list';
import { updateIssuerProcedure } from './update';

export const issuerRouter = router({
  list: listIssuersProcedure,
  create: createIssuerProcedure,
  update: updateIssuerProcedure,
  delete: deleteIssuerProcedure,
  fetchKeys: fetchIssuerKeysProcedure,
  checkSampleToken: checkSampleTokenProcedure,
});
