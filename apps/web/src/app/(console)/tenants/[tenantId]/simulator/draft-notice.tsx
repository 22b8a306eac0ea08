'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { Button } from '~/components/ui/button';
import { ErrorState } from '~/components/ui/states';
import type { SimulatorDraft } from './use-simulator-draft';

/** Which rules the simulator runs: the editor's unsaved draft (with the way back), or why not. */
export function DraftNotice({ tenantId, draft }: { tenantId: string; draft: SimulatorDraft }) {
  const router = useRouter();
  if (draft.state === 'ready')
    return (
      <div
        role="status"
        className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-warning-border bg-warning-soft p-3 text-sm text-warning"
      >
        <span>
          Simulating with the <strong>unsaved draft</strong> of rule{' '}
          <span className="font-mono">{draft.rule.id}</span>
          {draft.replaces
            ? draft.replaces === draft.rule.id
              ? ' in place of the saved one.'
              : ` in place of ${draft.replaces}.`
            : ', after the saved rules.'}
        </span>
        <span className="flex gap-2">
          <Button variant="outline" size="sm" asChild>
            <Link href={`/tenants/${tenantId}/rules/${draft.replaces ?? 'new'}`}>
              Back to the editor
            </Link>
          </Button>
          <Button
            variant="ghost"
            size="sm"
            onClick={() => router.replace(`/tenants/${tenantId}/simulator`)}
          >
            Use the saved rules
          </Button>
        </span>
      </div>
    );
  if (draft.state === 'missing' || draft.state === 'invalid')
    return (
      <ErrorState
        message={
          draft.state === 'missing'
            ? 'No draft to simulate in this browser tab: the simulator uses the saved rules.'
            : 'The draft is not a valid rule: fix it in the editor. The simulator uses the saved rules.'
        }
      />
    );
  return null;
}
