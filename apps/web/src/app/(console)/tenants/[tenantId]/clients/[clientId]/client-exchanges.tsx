import type { AuditEventSummary } from '@sts/console';
import Link from 'next/link';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui/table';
import { formatUtc } from '~/lib/format';
import { DecisionBadge } from '../../audit/audit-explorer';
import { auditPath, auditQuery } from '../../audit/audit-url';

/** The client's latest exchange attempts, each linking to its audit event. */
export function ClientExchanges({
  tenantId,
  clientId,
  events,
}: {
  tenantId: string;
  clientId: string;
  events: AuditEventSummary[];
}) {
  const all = `${auditPath(tenantId)}${auditQuery({ filter: { clientId } })}`;
  return (
    <Card>
      <CardHeader className="flex-row flex-wrap items-start justify-between gap-2">
        <div className="grid gap-1">
          <CardTitle>Recent exchanges</CardTitle>
          <CardDescription>
            Its latest attempts at the token endpoint, newest first.
          </CardDescription>
        </div>
        <Link href={all} className="text-sm text-primary hover:underline">
          All in the audit log
        </Link>
      </CardHeader>
      <CardContent>
        {events.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            None yet: this client has not called the token endpoint.
          </p>
        ) : (
          <Table aria-label="Recent exchanges">
            <TableHeader>
              <TableRow>
                <TableHead>Time (UTC)</TableHead>
                <TableHead>Decision</TableHead>
                <TableHead className="hidden sm:table-cell">Subject</TableHead>
                <TableHead className="hidden md:table-cell">Rule or error</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {events.map((e) => (
                <TableRow key={e.id} data-testid="client-exchange">
                  <TableCell>
                    <Link
                      href={`${auditPath(tenantId)}/${e.id}`}
                      aria-label={`Event of ${formatUtc(e.createdAt)}, ${e.decision}`}
                      className="font-mono text-xs text-primary hover:underline"
                    >
                      {formatUtc(e.createdAt).replace(' UTC', '')}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <DecisionBadge decision={e.decision} />
                  </TableCell>
                  <TableCell className="hidden break-all font-mono text-xs sm:table-cell">
                    {e.subjectSub ?? '—'}
                  </TableCell>
                  <TableCell className="hidden font-mono text-xs md:table-cell">
                    {e.decision === 'granted'
                      ? (e.ruleId ?? '—')
                      : (e.reason ?? e.errorCode ?? '—')}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}
