'use client';

import { CopyButton } from '~/components/copy-button';
import { Button } from '~/components/ui/button';
import { Dialog, DialogClose, DialogContent } from '~/components/ui/dialog';

/**
 * Shows a client secret the server just generated. It exists in clear only in that response:
 * once this dialog closes it is gone from the page too, and cannot be shown again.
 */
export function ClientSecretDialog({
  shown,
  onClose,
}: {
  shown: { clientId: string; secret: string } | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={shown !== null}
      onOpenChange={(open) => {
        if (!open) onClose();
      }}
    >
      {shown ? (
        <DialogContent
          title={`Secret of ${shown.clientId}`}
          description="Copy it now and give it to the client's operators. It will not be shown again: the STS keeps only a hash. If it is lost, rotate the secret."
          onInteractOutside={(e) => e.preventDefault()}
        >
          <div className="grid gap-2">
            <code
              data-testid="client-secret"
              className="select-all break-all rounded-md border bg-muted p-3 font-mono text-sm"
            >
              {shown.secret}
            </code>
            <div className="flex justify-between gap-2">
              <CopyButton value={shown.secret} label="Copy secret" />
              <DialogClose asChild>
                <Button>I have copied it</Button>
              </DialogClose>
            </div>
          </div>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}
