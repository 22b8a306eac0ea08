'use client';

import { CopyButton } from '~/components/copy-button';
import { Button } from '~/components/ui/button';
import { Dialog, DialogClose, DialogContent } from '~/components/ui/dialog';
import { formatUtc } from '~/lib/format';

/** What an invitation hands over once: the one-time link, or the initial password. */
export type HandedOver =
  | { email: string; kind: 'link'; link: string; expiresAt: Date }
  | { email: string; kind: 'password'; password: string };

/**
 * Shows an invitation link or an initial password the server just made. The server keeps only
 * a hash of either: once this dialog closes it is gone from the page too.
 */
export function HandOverDialog({
  shown,
  onClose,
}: {
  shown: HandedOver | null;
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
          title={
            shown.kind === 'link'
              ? `Invitation link for ${shown.email}`
              : `Initial password for ${shown.email}`
          }
          description={
            shown.kind === 'link'
              ? `Send this link to ${shown.email}. It sets their password, works once, and expires ${formatUtc(shown.expiresAt, 'minutes')}. It will not be shown again.`
              : `Give this password to ${shown.email} through a channel you trust. They sign in with it at once. It will not be shown again.`
          }
          onInteractOutside={(e) => e.preventDefault()}
        >
          <div className="grid gap-2">
            <code
              data-testid={shown.kind === 'link' ? 'invitation-link' : 'initial-password'}
              className="select-all break-all rounded-md border bg-muted p-3 font-mono text-sm"
            >
              {shown.kind === 'link' ? shown.link : shown.password}
            </code>
            <div className="flex flex-wrap justify-between gap-2">
              <CopyButton
                value={shown.kind === 'link' ? shown.link : shown.password}
                label={shown.kind === 'link' ? 'Copy link' : 'Copy password'}
              />
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
