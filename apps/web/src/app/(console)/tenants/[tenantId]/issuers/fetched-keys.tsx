'use client';

import { Badge } from '~/components/ui/badge';
import { ErrorState } from '~/components/ui/states';
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from '~/components/ui/table';
import type { TFetchKeysResult } from '~/server/trpc/routers/issuer/issuer.schema';

/**
 * What "Fetch keys" found at a JWKS URI: each key's kid, kty, alg and use, or why there is
 * nothing. `from`: the URI fetched, when the field has changed since.
 */
export function FetchedKeys({ result, from }: { result: TFetchKeysResult; from?: string }) {
  const where = from ? `${from} (the URI has changed since)` : 'this URI';
  if (!result.ok)
    return <ErrorState message={`The keys at ${where} could not be fetched: ${result.error}`} />;
  if (result.keys.length === 0)
    return (
      <ErrorState
        message={`The JWKS at ${where} holds no keys: no token of this issuer would verify.`}
      />
    );
  return (
    <div className="grid gap-1">
      <p className="text-xs text-muted-foreground">Found at {where}:</p>
      <FoundKeys keys={result.keys} />
    </div>
  );
}

function FoundKeys({ keys }: { keys: Extract<TFetchKeysResult, { ok: true }>['keys'] }) {
  return (
    <div role="status" aria-label="Keys found" className="rounded-md border">
      <Table>
        <TableHeader>
          <TableRow>
            <TableHead>kid</TableHead>
            <TableHead>kty</TableHead>
            <TableHead>alg</TableHead>
            <TableHead>use</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {keys.map((k, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: kids may be absent or repeated
            <TableRow key={i}>
              <TableCell className="font-mono text-xs">{k.kid ?? '—'}</TableCell>
              <TableCell className="font-mono text-xs">
                {k.kty ?? '—'}{' '}
                {k.usable ? null : (
                  <Badge variant="warning">ignored: {k.unusableReason ?? 'not usable'}</Badge>
                )}
              </TableCell>
              <TableCell className="font-mono text-xs">{k.alg ?? '—'}</TableCell>
              <TableCell className="font-mono text-xs">{k.use ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
