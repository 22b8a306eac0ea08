'use client';

import type { GeneratedSecret } from '@sts/console';
import { firstExchangeCurl } from '@sts/console/curl';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { CodeBlock } from '~/components/code-block';
import { CopyButton } from '~/components/copy-button';
import { AlertDialog, AlertDialogContent } from '~/components/ui/alert-dialog';
import { Button } from '~/components/ui/button';
import { Dialog, DialogContent } from '~/components/ui/dialog';
import { useTRPC } from '~/lib/trpc';

/** A secret the server just generated, with the client it belongs to. */
export type ShownSecret = GeneratedSecret & {
  secret: string;
  /** The control that led to it, to focus when the dialog closes (else the browser decides). */
  returnFocusTo?: HTMLElement | null;
};

/**
 * Shows a client secret the server just generated. It exists in clear only in that response:
 * once this dialog closes it is gone from the page too, and cannot be shown again. So Escape or a
 * click outside asks first; only "I have copied it" closes at once.
 */
export function ClientSecretDialog({
  tenantId,
  shown,
  onClose,
}: {
  tenantId: string;
  shown: ShownSecret | null;
  onClose: () => void;
}) {
  const [asking, setAsking] = useState(false);
  const ask = (event: Event) => {
    event.preventDefault();
    setAsking(true);
  };
  const close = () => {
    setAsking(false);
    onClose();
  };
  return (
    <Dialog
      open={shown !== null}
      onOpenChange={(open) => {
        if (!open) setAsking(true);
      }}
    >
      {shown ? (
        <DialogContent
          title={`Secret of ${shown.clientId}`}
          description="Copy it now and give it to the client's operators. It will not be shown again: the STS keeps only a hash. If it is lost, rotate the secret."
          onEscapeKeyDown={ask}
          onInteractOutside={ask}
          onCloseAutoFocus={(event) => {
            if (!shown.returnFocusTo?.isConnected) return;
            event.preventDefault();
            shown.returnFocusTo.focus();
          }}
        >
          <div className="grid gap-2">
            <code
              data-testid="client-secret"
              className="select-all break-all rounded-md border bg-muted p-3 font-mono text-sm"
            >
              {shown.secret}
            </code>
            <div className="flex flex-wrap gap-2">
              <CopyButton value={shown.secret} label="Copy secret" />
              <CopyButton
                value={`client_id=${shown.clientId}\nclient_secret=${shown.secret}\n`}
                label="Copy client id and secret"
              />
            </div>
          </div>
          <TryItWithCurl tenantId={tenantId} shown={shown} />
          <div className="flex justify-end">
            <Button onClick={close}>I have copied it</Button>
          </div>
          <AlertDialog open={asking} onOpenChange={setAsking}>
            <AlertDialogContent
              title="Close without the secret?"
              description="You will not be able to see this secret again. If it was not copied, the client cannot authenticate until you rotate the secret."
              cancelLabel="Back to the secret"
              actionLabel="Close anyway"
              destructive
              onAction={close}
            />
          </AlertDialog>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

/** A first token exchange with these credentials, at the tenant's token endpoint. */
function TryItWithCurl({ tenantId, shown }: { tenantId: string; shown: ShownSecret }) {
  const trpc = useTRPC();
  const tenant = useQuery(trpc.tenant.get.queryOptions({ tenantId }));
  if (!tenant.data) return null;
  const command = firstExchangeCurl(tenant.data.tokenEndpoint, shown);
  return (
    <div className="grid gap-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 className="text-sm font-medium">Try it with curl</h3>
        <CopyButton value={command} label="Copy curl command" />
      </div>
      <p className="text-xs text-muted-foreground">
        A token exchange as this client ({shown.authMethod}); put a subject token and the audience
        in place of <code>&lt;subject token&gt;</code> and <code>&lt;audience&gt;</code>.
      </p>
      <CodeBlock label="curl command">{command}</CodeBlock>
    </div>
  );
}
