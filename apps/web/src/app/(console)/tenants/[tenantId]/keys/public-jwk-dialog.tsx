'use client';

import { CopyButton } from '~/components/copy-button';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent, DialogTrigger } from '~/components/ui/dialog';

/** The public JWK of a signing key, as published in the tenant's JWKS. */
export function PublicJwkDialog({ kid, jwk }: { kid: string; jwk: unknown }) {
  const text = JSON.stringify(jwk, null, 2);
  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="outline" size="sm">
          Public JWK
        </Button>
      </DialogTrigger>
      <DialogContent
        className="max-w-2xl"
        title="Public JWK"
        description={`Key ${kid}. The private part never leaves the STS's database, encrypted.`}
      >
        <pre className="max-h-96 overflow-auto rounded-md border bg-muted p-3 font-mono text-xs">
          {text}
        </pre>
        <div>
          <CopyButton value={text} label="Copy JWK" />
        </div>
      </DialogContent>
    </Dialog>
  );
}
