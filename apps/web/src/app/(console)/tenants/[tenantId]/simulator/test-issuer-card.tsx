'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ShieldCheck, TriangleAlert } from 'lucide-react';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ErrorState } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';

export interface TestIssuerState {
  issuer: string;
  kid: string | null;
  trusted: boolean;
  trustedWithKey: boolean;
}

/** The tenant's test issuer: whether the tenant trusts it, and the button that makes it so. */
export function TestIssuerCard({
  tenantId,
  status,
  canWrite,
}: {
  tenantId: string;
  status: TestIssuerState;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const trust = useMutation(
    trpc.simulator.trustTestIssuer.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.simulator.options.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.issuer.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.rule.list.queryKey() }),
        ]),
    }),
  );
  const ok = status.trusted && status.trustedWithKey;
  return (
    <Card>
      <CardHeader>
        <CardTitle className="flex flex-wrap items-center gap-2">
          Test issuer
          {ok ? (
            <Badge variant="success">trusted</Badge>
          ) : status.trusted ? (
            <Badge variant="warning">trusted with another key</Badge>
          ) : (
            <Badge variant="secondary">not trusted</Badge>
          )}
        </CardTitle>
        <CardDescription>
          Composed tokens are signed by <span className="break-all font-mono">{status.issuer}</span>{' '}
          (ES256, a key the console keeps encrypted). A rule must list it in its subject issuers (or
          actor issuers) to accept them.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        {trust.isError ? <ErrorState message={errorMessage(trust.error)} /> : null}
        {ok ? (
          <p className="flex items-start gap-2 text-muted-foreground">
            <ShieldCheck className="mt-0.5 size-4 shrink-0 text-emerald-600" aria-hidden />
            The real STS accepts its tokens too: remove it from the trusted issuers when you are
            done testing.
          </p>
        ) : (
          <>
            <p className="flex items-start gap-2 text-muted-foreground">
              <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-600" aria-hidden />
              {status.trusted
                ? 'The trusted issuer of this URL does not hold the test key: trust it again to update its keys.'
                : 'The simulator does not need it: it composes tokens as any trusted issuer on its own. Trust the test issuer only to get tokens the real STS accepts (for curl).'}{' '}
              Trusting it is a configuration change: the real STS will accept its tokens, which
              anyone who may change this tenant can compose.
            </p>
            {canWrite ? (
              <div>
                <Button
                  type="button"
                  onClick={() => trust.mutate({ tenantId })}
                  disabled={trust.isPending}
                >
                  {trust.isPending ? 'Trusting…' : 'Trust the test issuer'}
                </Button>
              </div>
            ) : (
              <p className="text-xs text-muted-foreground">A tenant admin or owner can trust it.</p>
            )}
          </>
        )}
      </CardContent>
    </Card>
  );
}
