import type { ClientRecord } from '@sts/console';
import type { ReactNode } from 'react';
import { Badge } from '~/components/ui/badge';
import { Card, CardContent, CardHeader, CardTitle } from '~/components/ui/card';
import { formatUtc } from '~/lib/format';

/** The client's settings, when it was created and changed, and when it was last used. */
export function ClientFacts({
  client,
  lastUsedAt,
}: {
  client: ClientRecord;
  lastUsedAt: Date | null;
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Settings</CardTitle>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <Fact label="Display name">
            {client.displayName ?? <span className="text-muted-foreground">none</span>}
          </Fact>
          <Fact label="Authentication">
            <span className="font-mono text-xs">{client.authMethod}</span>
            {client.authMethod === 'private_key_jwt' ? (
              <span className="block break-all text-xs text-muted-foreground">
                {client.jwksUri ??
                  `${client.jwks?.keys.length ?? 0} inline key(s): ${
                    client.jwks?.keys.map((k) => k.kid ?? '(no kid)').join(', ') ?? ''
                  }`}
              </span>
            ) : null}
          </Fact>
          <Fact label="Token exchange">
            {client.allowTokenExchange ? (
              <Badge variant="secondary">allowed</Badge>
            ) : (
              <Badge variant="outline">not allowed</Badge>
            )}
          </Fact>
          <Fact label="Introspection">
            {client.allowIntrospection ? (
              <Badge variant="secondary">allowed</Badge>
            ) : (
              <Badge variant="outline">not allowed</Badge>
            )}
          </Fact>
          <Fact label="Status">
            {client.disabled ? (
              <Badge variant="danger">disabled</Badge>
            ) : (
              <Badge variant="success">enabled</Badge>
            )}
          </Fact>
          <Fact label="Created">{time(client.createdAt)}</Fact>
          <Fact label="Updated">{time(client.updatedAt)}</Fact>
          <Fact label="Last used">
            {lastUsedAt ? time(lastUsedAt) : <span className="text-muted-foreground">never</span>}
          </Fact>
        </dl>
      </CardContent>
    </Card>
  );
}

const time = (date: Date) => <time dateTime={date.toISOString()}>{formatUtc(date)}</time>;

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="font-medium text-muted-foreground">{label}</dt>
      <dd
        className="mb-2 min-w-0 sm:mb-0"
        data-testid={`client-${label.toLowerCase().replaceAll(' ', '-')}`}
      >
        {children}
      </dd>
    </>
  );
}
