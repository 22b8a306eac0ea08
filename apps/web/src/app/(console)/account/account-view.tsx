'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'next/navigation';
import { signIn, signOut } from 'next-auth/react';
import { useState } from 'react';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ErrorState, Loading } from '~/components/ui/states';
import { formatUtc } from '~/lib/format';
import { signInErrorMessage } from '~/lib/sign-in-errors';
import { errorMessage, useTRPC } from '~/lib/trpc';

/**
 * The admin's own single sign-on (decision 0014): "Link single sign-on" sends them through the
 * provider, and the identity they sign in with there is linked to this admin; "Unlink" removes
 * it. A console admin is never found by e-mail address alone. Unlinking, like "Sign out
 * everywhere", ends every session of the admin, this one too (decision 0017).
 */
export function AccountView({ email, ssoName }: { email: string; ssoName?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const params = useSearchParams();
  const [error, setError] = useState(() => signInErrorMessage(params.get('error')));
  const [linking, setLinking] = useState(false);
  const identities = useQuery(trpc.account.ssoIdentities.queryOptions());
  // Both end this session too: the browser signs out at once rather than at its next request.
  const leave = () => signOut({ callbackUrl: '/sign-in' });
  const unlink = useMutation(
    trpc.account.unlinkSso.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.account.ssoIdentities.queryKey() });
        await leave();
      },
    }),
  );
  const signOutEverywhere = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({ onSuccess: leave }),
  );

  async function startLink() {
    setLinking(true);
    setError(undefined);
    const res = await fetch('/api/sso-link', { method: 'POST' });
    if (!res.ok) {
      setLinking(false);
      setError('Linking could not start. Reload the page and try again.');
      return;
    }
    await signIn('oidc', { callbackUrl: '/account' });
  }

  return (
    <div className="grid gap-4">
      <h1 className="text-xl font-semibold">Account</h1>
      <Card>
        <CardHeader>
          <CardTitle>Single sign-on</CardTitle>
          <CardDescription>
            Signed in as <span className="break-all font-medium">{email}</span>.{' '}
            {ssoName
              ? `Link your ${ssoName} account to sign in with it. Only the account you link signs you in, not any account with your e-mail address.`
              : 'Single sign-on is not configured for this console.'}
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-3">
          {error ? <ErrorState message={error} /> : null}
          {identities.isPending ? <Loading /> : null}
          {identities.isError ? <ErrorState message={errorMessage(identities.error)} /> : null}
          {identities.data?.length === 0 ? (
            <p className="text-sm text-muted-foreground">No single sign-on account is linked.</p>
          ) : null}
          {identities.data?.map((i) => (
            <div
              key={i.issuer}
              className="flex flex-wrap items-center justify-between gap-2 rounded-md border p-3"
              data-testid="sso-identity"
            >
              <div className="grid min-w-0 gap-0.5 text-sm">
                <span className="break-all font-medium">
                  {i.email ?? i.subject} ({i.subject})
                </span>
                <span className="break-all text-xs text-muted-foreground">
                  {i.issuer}, linked {formatUtc(i.linkedAt, 'minutes')}
                </span>
              </div>
              <ConfirmDialog
                trigger={
                  <Button variant="outline" size="sm">
                    Unlink
                  </Button>
                }
                title="Unlink single sign-on?"
                description="This single sign-on account no longer signs you in, and every session of yours ends, this one too. You sign in again with your password."
                confirmLabel="Unlink"
                destructive
                onConfirm={() => unlink.mutateAsync({ issuer: i.issuer })}
              />
            </div>
          ))}
          {ssoName && identities.data?.length === 0 ? (
            <div>
              <Button onClick={startLink} disabled={linking}>
                {linking ? 'Going to the provider…' : 'Link single sign-on'}
              </Button>
            </div>
          ) : null}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle>Sessions</CardTitle>
          <CardDescription>
            Signed in on another device, or think someone else has your session? Sign out
            everywhere: every session of yours ends at its next request, this one too. You sign in
            again.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ConfirmDialog
            trigger={<Button variant="outline">Sign out everywhere</Button>}
            title="Sign out everywhere?"
            description="Every session of yours ends, in every browser, this one too. You sign in again."
            confirmLabel="Sign out everywhere"
            destructive
            onConfirm={() => signOutEverywhere.mutateAsync()}
          />
        </CardContent>
      </Card>
    </div>
  );
}
