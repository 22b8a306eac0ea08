/**
 * Creates a console admin from the command line, e.g. the first owner (owners invite the others
 * on the console's Admins page):
 *
 *   pnpm --filter @sts/web admin:create --email ada@example.com --role owner
 *   pnpm --filter @sts/web admin:create --email bob@example.com --role tenant_admin --tenant acme --tenant beta
 *
 * The password is read from CONSOLE_ADMIN_PASSWORD, or generated and printed once. Uses the
 * same STS_DATABASE_URL / STS_DATA_DIR as the STS and the console.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { ADMIN_ROLES, type AdminRole, createAdmin, toAppError } from '@sts/console';
import { consoleEnv, invocationDir } from '../src/env';
import { openConsoleFromEnv } from '../src/server/open-console';

const { values } = parseArgs({
  options: {
    email: { type: 'string' },
    name: { type: 'string' },
    role: { type: 'string', default: 'owner' },
    tenant: { type: 'string', multiple: true, default: [] },
  },
});
if (!values.email || !(ADMIN_ROLES as readonly string[]).includes(values.role)) {
  console.error(
    `usage: admin:create --email <e-mail> [--role ${ADMIN_ROLES.join('|')}] [--tenant <id> ...] [--name <name>]`,
  );
  process.exit(2);
}
const { ctx } = await openConsoleFromEnv(consoleEnv(), invocationDir());
try {
  const generated = !process.env.CONSOLE_ADMIN_PASSWORD;
  const password = process.env.CONSOLE_ADMIN_PASSWORD ?? randomBytes(15).toString('base64url');
  const admin = await createAdmin(ctx, {
    email: values.email,
    name: values.name,
    password,
    role: values.role as AdminRole,
    tenantIds: values.tenant,
  });
  console.log(
    `Created ${admin.role} ${admin.email}${admin.tenantIds.length ? ` for ${admin.tenantIds.join(', ')}` : ''}.`,
  );
  if (generated) console.log(`Password (shown once): ${password}`);
} catch (err) {
  console.error(toAppError(err)?.message ?? (err instanceof Error ? err.message : err));
  process.exitCode = 1;
} finally {
  await ctx.db.close();
}
