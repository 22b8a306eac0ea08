'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { CopyButton } from '~/components/copy-button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import type { TenantAccess } from './overview-access';
import { DeleteTenantCard } from './overview-delete-tenant';
import { TenantSettingsForm } from './overview-settings-form';

/** A tenant's endpoints, what it holds, its settings and (owners) its deletion. */
export function OverviewView({ tenantId, access }: { tenantId: string; access: TenantAccess }) {
  const trpc = useTRPC();
  const tenant = useQuery(trpc.tenant.get.queryOptions({ tenantId }));
  const keys = useQuery(trpc.key.list.queryOptions({ tenantId }));
  if (tenant.isPending) return <Loading />;
  if (tenant.isError) return <ErrorState message={errorMessage(tenant.error)} />;
  const t = tenant.data;
  const activeKey = keys.data?.find((k) => k.status === 'active');
  const base = `/tenants/${tenantId}`;
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader>
          <CardTitle>Endpoints</CardTitle>
          <CardDescription>What clients and resource servers need to know.</CardDescription>
        </CardHeader>
        <CardContent>
          <dl className="grid gap-3 text-sm sm:grid-cols-[max-content_1fr]">
            <Endpoint label="Issuer" value={t.issuer} />
            <Endpoint label="Token endpoint" value={t.tokenEndpoint} />
            <Endpoint label="JWKS URL" value={t.jwksUri} />
            <dt className="font-medium text-muted-foreground">Metadata</dt>
            <dd className="flex min-w-0 items-center gap-2">
              <a
                href={t.metadataUrl}
                target="_blank"
                rel="noreferrer"
                className="break-all font-mono text-xs text-primary hover:underline"
              >
                {t.metadataUrl}
              </a>
            </dd>
          </dl>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Contents</CardTitle>
        </CardHeader>
        <CardContent>
          <ul className="grid gap-3 sm:grid-cols-4">
            <Count href={`${base}/clients`} label="Clients" value={t.clients} />
            <Count href={`${base}/issuers`} label="Trusted issuers" value={t.trustedIssuers} />
            <Count href={`${base}/rules`} label="Rules" value={t.rules} />
            <Count
              href={`${base}/keys`}
              label="Signing keys"
              value={keys.data ? keys.data.length : '…'}
              note={
                keys.isError
                  ? 'could not be read'
                  : activeKey
                    ? `active: ${activeKey.alg}`
                    : keys.data
                      ? 'none yet: the STS creates one'
                      : undefined
              }
            />
          </ul>
        </CardContent>
      </Card>

      <TenantSettingsForm
        tenantId={tenantId}
        settings={{
          displayName: t.displayName,
          accessTokenTtlSeconds: t.accessTokenTtlSeconds,
          signingAlg: t.signingAlg,
          keyRotationDays: t.keyRotationDays ?? undefined,
        }}
        canWrite={access.canWrite}
        fileManaged={access.fileManaged}
      />

      {/* A file-managed tenant would come back at the next start: detach it first. */}
      {access.isOwner && !access.fileManaged ? <DeleteTenantCard tenantId={tenantId} /> : null}
    </div>
  );
}

function Endpoint({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="font-medium text-muted-foreground">{label}</dt>
      <dd className="flex min-w-0 items-center gap-2">
        <code className="break-all font-mono text-xs">{value}</code>
        <CopyButton value={value} label={`Copy ${label.toLowerCase()}`} />
      </dd>
    </>
  );
}

function Count({
  href,
  label,
  value,
  note,
}: {
  href: string;
  label: string;
  value: number | string;
  note?: string;
}) {
  return (
    <li>
      <Link href={href} className="block rounded-md border p-3 hover:bg-muted/50">
        <span className="block text-2xl font-semibold" data-testid={`count-${label}`}>
          {value}
        </span>
        <span className="block text-sm text-muted-foreground">{label}</span>
        {note ? <span className="block text-xs text-muted-foreground">{note}</span> : null}
      </Link>
    </li>
  );
}
