import { notFound } from 'next/navigation';
import { consoleEnv } from '~/env';
import { createContext } from '~/server/trpc/trpc';
import { AdminsView } from './admins-view';

/** Owners only: for anyone else the page does not exist (the admin.* procedures say FORBIDDEN). */
export default async function AdminsPage() {
  const { admin } = await createContext();
  if (admin?.role !== 'owner') notFound();
  const env = consoleEnv();
  const sso =
    env.CONSOLE_OIDC_ISSUER && env.CONSOLE_OIDC_CLIENT_ID ? env.CONSOLE_OIDC_NAME : undefined;
  return <AdminsView currentAdminId={admin.id} ssoName={sso} />;
}
