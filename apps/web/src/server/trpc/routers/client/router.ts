import { router } from '../../trpc';
import { createClientProcedure } from './create';
import { deleteClientProcedure } from './delete';
import { getClientProcedure } from './get';
import { listClientsProcedure } from './list';
import { rotateClientSecretProcedure } from './rotate-secret';
import { setClientAuthMethodProcedure } from './set-auth-method';
import { setClientEnabledProcedure } from './set-enabled';
import { updateClientProcedure } from './update';

export const clientRouter = router({
  list: listClientsProcedure,
  get: getClientProcedure,
  create: createClientProcedure,
  update: updateClientProcedure,
  setAuthMethod: setClientAuthMethodProcedure,
  rotateSecret: rotateClientSecretProcedure,
  setEnabled: setClientEnabledProcedure,
  delete: deleteClientProcedure,
});
