import { Suspense } from 'react';
import { consoleEnv } from '~/env';
import { SignInForm } from './sign-in-form';

export const dynamic = 'force-dynamic';

export default function SignInPage() {
  const env = consoleEnv();
  const sso =
    env.CONSOLE_OIDC_ISSUER && env.CONSOLE_OIDC_CLIENT_ID ? env.CONSOLE_OIDC_NAME : undefined;
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <Suspense>
        <SignInForm ssoName={sso} />
      </Suspense>
    </main>
  );
}
