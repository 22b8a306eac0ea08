import type { ClientRule } from '@sts/console';
import Link from 'next/link';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';

/** The rules that admit the client, by its id or as any client ("*"), in evaluation order. */
export function ClientRules({
  tenantId,
  clientId,
  rules,
}: {
  tenantId: string;
  clientId: string;
  rules: ClientRule[];
}) {
  const base = `/tenants/${encodeURIComponent(tenantId)}/rules`;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Rules that admit it</CardTitle>
        <CardDescription>
          Rules naming {clientId} or any client (*), in the order the STS tries them.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {rules.length === 0 ? (
          <p className="text-sm text-muted-foreground">
            No rule admits this client: every exchange it attempts is refused.{' '}
            <Link href={`${base}/new`} className="text-primary underline">
              Create a rule
            </Link>
            .
          </p>
        ) : (
          <ul className="grid gap-2" aria-label="Rules that admit this client">
            {rules.map((r) => (
              <li key={r.id} className="rounded-md border p-3" data-testid="client-rule">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="text-sm text-muted-foreground">{r.position + 1}.</span>
                  <Link
                    href={`${base}/${encodeURIComponent(r.id)}`}
                    className="break-all font-mono text-sm font-medium text-primary hover:underline"
                  >
                    {r.id}
                  </Link>
                  <Badge variant="outline">{r.listed ? 'names it' : 'any client (*)'}</Badge>
                  {r.disabled ? <Badge variant="secondary">disabled</Badge> : null}
                </div>
                <p className="mt-1 text-sm text-muted-foreground">{r.headline}</p>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
    </Card>
  );
}
