import { router } from '../../trpc';
import { listKeysProcedure } from './list';
import { revokeKeyProcedure } from './revoke';
import { rotateKeyProcedure } from './rotate';

export const keyRouter = router({
  list: listKeysProcedure,
  rotate: rotateKeyProcedure,
  revoke: revokeKeyProcedure,
});
