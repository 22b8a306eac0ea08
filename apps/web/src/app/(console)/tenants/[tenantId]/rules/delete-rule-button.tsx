'use client';

import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Button } from '~/components/ui/button';
import { Dialog, DialogClose, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { ErrorState } from '~/components/ui/states';
import { errorMessage } from '~/lib/trpc';

/** Delete, after a confirmation; the dialog stays open with the server's message on failure. */
export function DeleteRuleButton({
  ruleId,
  onDelete,
}: {
  ruleId: string;
  onDelete: () => Promise<unknown>;
}) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function confirm() {
    setPending(true);
    setError(null);
    try {
      await onDelete();
      setOpen(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  }
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setError(null);
      }}
    >
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" aria-label={`Delete rule ${ruleId}`}>
          <Trash2 aria-hidden /> Delete
        </Button>
      </DialogTrigger>
      <DialogContent
        title={`Delete rule ${ruleId}?`}
        description="Exchanges it grants will be decided by the rules after it, or refused. The STS applies this within a second."
      >
        {error ? <ErrorState message={error} /> : null}
        <div className="flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="outline">Cancel</Button>
          </DialogClose>
          <Button variant="destructive" onClick={confirm} disabled={pending}>
            {pending ? 'Deleting…' : 'Delete rule'}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
