import { bootstrapFirstAdmin } from '@sts/console';
import { consoleEnv } from '~/env';
import { consoleServer } from './console';

/**
 * The first admin: when CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD are set and the console
 * has no admin yet, creates that owner. In demo mode the password is reset to the given one at
 * every start (the demo prints it). Otherwise create the first owner with
 * `pnpm --filter @sts/web admin:create`; owners invite the other admins on the Admins page.
 */
export async function bootstrapAdmin(): Promise<void> {
  const env = consoleEnv();
  const { CONSOLE_ADMIN_EMAIL: email, CONSOLE_ADMIN_PASSWORD: password } = env;
  if (!email || !password) return;
  const { ctx } = await consoleServer();
  if (await bootstrapFirstAdmin(ctx, { email, password, demo: env.CONSOLE_DEMO }))
    console.log(`Created the first admin, ${email} (owner).`);
}
