'use client';

import { useQuery } from '@tanstack/react-query';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui/table';
import { formatUtc, formatUtcDay } from '~/lib/format';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { ROLE_LABELS } from '~/server/trpc/routers/admin/admin.schema';
import { AdminRowMenu } from './admin-row-menu';
import type { HandedOver } from './hand-over-dialog';
import { InviteAdminDialog } from './invite-admin-dialog';

const STATUS_BADGE = {
  active: 'success',
  invited: 'warning',
  disabled: 'danger',
} as const;

/**
 * Every admin. On a phone the role, tenants and creation date stack under the e-mail address and
 * the row's actions are in its menu: the table never scrolls sideways.
 */
export function AdminsTable({
  currentAdminId,
  onHandOver,
  ssoName,
}: {
  currentAdminId: string;
  onHandOver: (shown: HandedOver) => void;
  ssoName?: string;
}) {
  const trpc = useTRPC();
  const admins = useQuery(trpc.admin.list.queryOptions());
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-4">
        <div className="grid gap-1">
          <CardTitle>Console admins</CardTitle>
          <CardDescription>
            Owners see and change every tenant and manage admins; tenant admins change their
            tenants; viewers only read them. Changes apply from the admin&apos;s next request.
          </CardDescription>
        </div>
        <InviteAdminDialog onInvited={onHandOver} ssoName={ssoName} />
      </CardHeader>
      <CardContent>
        {admins.isPending ? <Loading /> : null}
        {admins.isError ? <ErrorState message={errorMessage(admins.error)} /> : null}
        {admins.data?.length === 0 ? <Empty title="No admins" /> : null}
        {admins.data && admins.data.length > 0 ? (
          <Table className="table-fixed md:table-auto">
            <TableHeader>
              <TableRow>
                <TableHead>Admin</TableHead>
                <TableHead className="hidden md:table-cell">Role</TableHead>
                <TableHead className="hidden md:table-cell">Tenants</TableHead>
                <TableHead className="w-24 md:w-auto">Status</TableHead>
                <TableHead className="hidden md:table-cell">Created</TableHead>
                <TableHead className="w-12 text-right">
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {admins.data.map((a) => {
                const tenants = a.role === 'owner' ? 'All tenants' : a.tenantIds.join(', ') || '—';
                return (
                  <TableRow key={a.id} data-testid="admin-row">
                    <TableCell className="align-top">
                      <div className="break-all font-medium">
                        {a.email}
                        {a.id === currentAdminId ? (
                          <Badge variant="outline" className="ml-2">
                            you
                          </Badge>
                        ) : null}
                      </div>
                      {a.name ? (
                        <div className="break-words text-xs text-muted-foreground">{a.name}</div>
                      ) : null}
                      {a.status === 'active' && !a.hasPassword ? (
                        <div className="text-xs text-muted-foreground">Single sign-on only</div>
                      ) : null}
                      {a.ssoInvited ? (
                        <div className="text-xs text-muted-foreground">
                          Invited to single sign-on: linked at their first sign-in
                        </div>
                      ) : null}
                      {a.ssoIdentities.map((i) => (
                        <div
                          key={i.issuer}
                          className="break-all text-xs text-muted-foreground"
                          data-testid="admin-sso-identity"
                        >
                          Single sign-on: {i.subject} at {i.issuer}
                        </div>
                      ))}
                      <div className="mt-1 grid gap-0.5 text-xs text-muted-foreground md:hidden">
                        <span>{ROLE_LABELS[a.role]}</span>
                        <span className="break-all">{tenants}</span>
                        <span>Created {formatUtcDay(a.createdAt)}</span>
                      </div>
                    </TableCell>
                    <TableCell className="hidden align-top md:table-cell">
                      {ROLE_LABELS[a.role]}
                    </TableCell>
                    <TableCell className="hidden align-top font-mono text-xs md:table-cell">
                      {tenants}
                    </TableCell>
                    <TableCell className="align-top">
                      <Badge variant={STATUS_BADGE[a.status]} data-testid="admin-status">
                        {a.status}
                      </Badge>
                      {a.status === 'invited' && a.invitationExpiresAt ? (
                        <div className="mt-1 hidden text-xs text-muted-foreground md:block">
                          {a.invitationExpiresAt > new Date()
                            ? `link until ${formatUtc(a.invitationExpiresAt, 'minutes')}`
                            : 'link expired'}
                        </div>
                      ) : null}
                    </TableCell>
                    <TableCell className="hidden whitespace-nowrap align-top text-xs md:table-cell">
                      <time dateTime={a.createdAt.toISOString()}>{formatUtcDay(a.createdAt)}</time>
                    </TableCell>
                    <TableCell className="align-top text-right">
                      <AdminRowMenu admin={a} onHandOver={onHandOver} />
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        ) : null}
      </CardContent>
    </Card>
  );
}
