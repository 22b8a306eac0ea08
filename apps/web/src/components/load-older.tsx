'use client';

import { Button } from '~/components/ui/button';
import { ErrorState } from '~/components/ui/states';
import { errorMessage } from '~/lib/trpc';

/** The "Load older …" button under a list read page by page, and the error of its last load. */
export function LoadOlder({
  pages,
  what,
}: {
  pages: {
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    isFetchNextPageError: boolean;
    error: unknown;
    fetchNextPage: () => unknown;
  };
  /** What the list holds, for the button's label ("actions"). */
  what: string;
}) {
  return (
    <>
      {pages.hasNextPage ? (
        <div>
          <Button
            variant="outline"
            size="sm"
            onClick={() => pages.fetchNextPage()}
            disabled={pages.isFetchingNextPage}
          >
            {pages.isFetchingNextPage ? 'Loading…' : `Load older ${what}`}
          </Button>
        </div>
      ) : null}
      {pages.isFetchNextPageError ? <ErrorState message={errorMessage(pages.error)} /> : null}
    </>
  );
}
