'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui/table';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { CreateTenantDialog } from './create-tenant-dialog';

export function TenantList({ canCreate }: { canCreate: boolean }) {
  const trpc = useTRPC();
  const tenants = useQuery(trpc.tenant.list.queryOptions());
  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between">
        <CardTitle>Tenants</CardTitle>
        {canCreate ? <CreateTenantDialog /> : null}
      </CardHeader>
      <CardContent>
        {tenants.isPending ? <Loading /> : null}
        {tenants.isError ? <ErrorState message={errorMessage(tenants.error)} /> : null}
        {tenants.data?.length === 0 ? (
          <Empty title="No tenants yet">Create one to get an issuer and a token endpoint.</Empty>
        ) : null}
        {tenants.data && tenants.data.length > 0 ? (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Tenant</TableHead>
                <TableHead>Issuer</TableHead>
                <TableHead>Clients</TableHead>
                <TableHead>Issuers</TableHead>
                <TableHead>Rules</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {tenants.data.map((t) => (
                <TableRow key={t.id}>
                  <TableCell>
                    <Link
                      className="font-medium text-primary hover:underline"
                      href={`/tenants/${t.id}`}
                    >
                      {t.displayName}
                    </Link>{' '}
                    <span className="text-xs text-muted-foreground">{t.id}</span>{' '}
                    {t.source === 'file' ? <Badge variant="secondary">config file</Badge> : null}
                  </TableCell>
                  <TableCell className="font-mono text-xs">{t.issuer}</TableCell>
                  <TableCell>{t.clients}</TableCell>
                  <TableCell>{t.trustedIssuers}</TableCell>
                  <TableCell>{t.rules}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        ) : null}
      </CardContent>
    </Card>
  );
}
