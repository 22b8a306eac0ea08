import { Empty } from '~/components/ui/states';
import type { ListView } from './use-list-view';

/** Shown instead of the rows when the search leaves none. */
export function ListNoMatches({
  view,
  noun,
}: {
  view: Pick<ListView<unknown, string>, 'query' | 'matching' | 'total'>;
  noun: string;
}) {
  if (view.total === 0 || view.matching > 0) return null;
  return <Empty title={`No ${noun} match “${view.query.trim()}”`}>Try fewer or other words.</Empty>;
}
