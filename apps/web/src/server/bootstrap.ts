import { countAdmins, createAdminUser, hashPassword } from '@sts/db';
import { consoleEnv } from '~/env';
import { consoleDb } from './db';

/**
 * The first admin: when CONSOLE_ADMIN_EMAIL and CONSOLE_ADMIN_PASSWORD are set and the console
 * has no admin yet, creates that owner. In demo mode the password is reset to the given one at
 * every start (the demo prints it). Otherwise create admins with `pnpm --filter @sts/web admin:create`.
 */
export async function bootstrapFirstAdmin(): Promise<void> {
  const env = consoleEnv();
  const { CONSOLE_ADMIN_EMAIL: email, CONSOLE_ADMIN_PASSWORD: password } = env;
  if (!email || !password) return;
  const { prisma } = (await consoleDb()).database;
  if ((await countAdmins(prisma)) === 0) {
    await createAdminUser(prisma, { email, password, role: 'owner' });
    console.log(`Created the first admin, ${email} (owner).`);
  } else if (env.CONSOLE_DEMO) {
    await prisma.adminUser.updateMany({
      where: { email: email.toLowerCase() },
      data: { passwordHash: await hashPassword(password), disabled: false, role: 'owner' },
    });
  }
}
