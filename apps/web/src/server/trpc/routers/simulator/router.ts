import { router } from '../../trpc';
import { simulatorOptionsProcedure } from './options';
import { runSimulationProcedure } from './run';
import { trustTestIssuerProcedure } from './trust-test-issuer';

export const simulatorRouter = router({
  options: simulatorOptionsProcedure,
  run: runSimulationProcedure,
  trustTestIssuer: trustTestIssuerProcedure,
});
