'use client';

import { ChevronLeft, ChevronRight } from 'lucide-react';
import { Button } from '~/components/ui/button';
import type { ListView } from './use-list-view';

/** "1–25 of 30" and, when there is more than one page, Previous and Next. */
export function ListPagination({
  view,
  noun,
}: {
  view: Pick<
    ListView<unknown, string>,
    'page' | 'pageCount' | 'pageSize' | 'matching' | 'total' | 'setPage'
  >;
  /** What the list holds, plural ("clients"): names the navigation. */
  noun: string;
}) {
  const { page, pageCount, pageSize, matching, total } = view;
  if (total === 0) return null;
  const first = matching === 0 ? 0 : page * pageSize + 1;
  const last = Math.min(matching, (page + 1) * pageSize);
  return (
    <nav
      aria-label={`Pages of ${noun}`}
      className="flex flex-wrap items-center justify-between gap-2 text-sm text-muted-foreground"
    >
      <p aria-live="polite" data-testid="list-range">
        {first}–{last} of {matching}
        {matching < total ? ` (${total} in all)` : ''}
      </p>
      {pageCount > 1 ? (
        <div className="flex gap-2">
          <Button
            variant="outline"
            size="sm"
            disabled={page === 0}
            onClick={() => view.setPage(page - 1)}
          >
            <ChevronLeft aria-hidden /> Previous
          </Button>
          <Button
            variant="outline"
            size="sm"
            disabled={page >= pageCount - 1}
            onClick={() => view.setPage(page + 1)}
          >
            Next <ChevronRight aria-hidden />
          </Button>
        </div>
      ) : null}
    </nav>
  );
}
