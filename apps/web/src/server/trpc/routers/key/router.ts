import { router } from '../../trpc';
import { listKeysProcedure } from './list';
import { revokeKeyProcedure } from './revoke';
import { rotateKeyProcedure } from './rotate';
import { keyScheduleProcedure } from './schedule';

export const keyRouter = router({
  list: listKeysProcedure,
  schedule: keyScheduleProcedure,
  rotate: rotateKeyProcedure,
  revoke: revokeKeyProcedure,
});
