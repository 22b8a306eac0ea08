'use client';

import { Trash2 } from 'lucide-react';
import { ConfirmDialog } from '~/components/confirm-dialog';
import { Button } from '~/components/ui/button';

/** Delete, after a confirmation; the dialog stays open with the server's message on failure. */
export function DeleteRuleButton({
  ruleId,
  onDelete,
}: {
  ruleId: string;
  onDelete: () => Promise<unknown>;
}) {
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" aria-label={`Delete rule ${ruleId}`}>
          <Trash2 aria-hidden /> Delete
        </Button>
      }
      title={`Delete rule ${ruleId}?`}
      description="Exchanges it grants will be decided by the rules after it, or refused. The STS applies this within a second."
      confirmLabel="Delete rule"
      destructive
      onConfirm={onDelete}
    />
  );
}
