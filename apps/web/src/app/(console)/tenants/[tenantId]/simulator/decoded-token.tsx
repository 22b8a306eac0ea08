'use client';

import { CodeBlock, json } from '~/components/code-block';
import { CopyButton } from '~/components/copy-button';
import type {
  TComposedToken,
  TDecodedToken,
} from '~/server/trpc/routers/simulator/simulator.schema';

/** A token's decoded header and payload, side by side. */
export function DecodedToken({ token, title }: { token: TDecodedToken; title: string }) {
  return (
    <div className="grid gap-2 md:grid-cols-2">
      <div className="grid content-start gap-1">
        <span className="text-xs font-medium text-muted-foreground">Header</span>
        <CodeBlock label={`${title} header`}>{json(token.header)}</CodeBlock>
      </div>
      <div className="grid content-start gap-1">
        <span className="text-xs font-medium text-muted-foreground">Payload</span>
        <CodeBlock label={`${title} payload`}>{json(token.payload)}</CodeBlock>
      </div>
    </div>
  );
}

/** A token composed for the run: decoded, and signed when the admin may see it. */
export function ComposedToken({ token, title }: { token: TComposedToken; title: string }) {
  return (
    <details className="rounded-md border p-3">
      <summary className="cursor-pointer text-sm font-medium">{title}</summary>
      <div className="mt-3 grid gap-3">
        <DecodedToken token={token} title={title} />
        {token.token ? (
          <div className="grid gap-1">
            <div className="flex items-center justify-between gap-2">
              <span className="text-xs font-medium text-muted-foreground">Signed token</span>
              <CopyButton value={token.token} label="Copy token" />
            </div>
            <CodeBlock label={`${title}, signed`}>{token.token}</CodeBlock>
          </div>
        ) : token.simulationOnly ? (
          <p className="text-xs text-muted-foreground">
            Signed for this simulation only, with a key made for the run: the real STS would check
            the issuer's own signature.
          </p>
        ) : (
          <p className="text-xs text-muted-foreground">
            The signed token is given only to admins who may change this tenant: once the tenant
            trusts its test issuer, it is a credential the STS accepts.
          </p>
        )}
      </div>
    </details>
  );
}
