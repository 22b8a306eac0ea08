import { redirect } from 'next/navigation';
import { Suspense } from 'react';
import { consoleEnv } from '~/env';
import { createContext } from '~/server/trpc/trpc';
import { AccountView } from './account-view';

/** The signed-in admin's own account: who they are, and their single sign-on. */
export default async function AccountPage() {
  const { admin } = await createContext();
  if (!admin) redirect('/sign-in');
  const env = consoleEnv();
  const sso =
    env.CONSOLE_OIDC_ISSUER && env.CONSOLE_OIDC_CLIENT_ID ? env.CONSOLE_OIDC_NAME : undefined;
  return (
    <Suspense>
      <AccountView email={admin.email} ssoName={sso} />
    </Suspense>
  );
}
