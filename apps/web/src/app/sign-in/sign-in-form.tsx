'use client';

import { useRouter, useSearchParams } from 'next/navigation';
import { signIn } from 'next-auth/react';
import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { safeRedirectPath } from '~/lib/safe-redirect';
import { signInErrorMessage } from '~/lib/sign-in-errors';

export function SignInForm({ ssoName }: { ssoName?: string }) {
  const router = useRouter();
  const params = useSearchParams();
  // next-auth sends refused sign-ins back here with ?error=… (AccessDenied for an unknown SSO user).
  const [error, setError] = useState<string | undefined>(() =>
    signInErrorMessage(params.get('error')),
  );
  const [pending, setPending] = useState(false);
  // Only a path on the console: never another site (//host, /\\host, …).
  const callbackUrl = safeRedirectPath(params.get('callbackUrl'));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(undefined);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setPending(false);
    if (result?.ok) router.push(callbackUrl);
    else if (result?.error?.startsWith('SignInLimited:'))
      setError(signInErrorMessage(result.error));
    else setError('Wrong e-mail or password');
  }

  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle>Sign in to the STS console</CardTitle>
        <CardDescription>Manage tenants, clients, trust and delegation rules.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} className="grid gap-4">
          {error ? <ErrorState message={error} /> : null}
          <Field id="email" label="E-mail">
            <Input
              id="email"
              name="email"
              type="email"
              autoComplete="username"
              defaultValue={params.get('email') ?? undefined}
              required
              autoFocus
            />
          </Field>
          <Field id="password" label="Password">
            <Input
              id="password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
            />
          </Field>
          <Button type="submit" disabled={pending}>
            {pending ? 'Signing in…' : 'Sign in'}
          </Button>
          {ssoName ? (
            <Button type="button" variant="outline" onClick={() => signIn('oidc', { callbackUrl })}>
              Sign in with {ssoName}
            </Button>
          ) : null}
        </form>
      </CardContent>
    </Card>
  );
}
