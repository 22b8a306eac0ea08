'use client';

import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import type { ComponentProps, ReactNode } from 'react';
import { TableHead } from '~/components/ui/table';
import { cn } from '~/lib/utils';
import type { ListView } from './use-list-view';

/** A column header that sorts the list by its column (`aria-sort` says how it is sorted now). */
export function SortableHead<C extends string>({
  view,
  column,
  children,
  className,
  ...props
}: Omit<ComponentProps<'th'>, 'children'> & {
  view: Pick<ListView<unknown, C>, 'sortOf' | 'toggleSort'>;
  column: C;
  children: ReactNode;
}) {
  const sort = view.sortOf(column);
  const Icon = sort === 'ascending' ? ArrowUp : sort === 'descending' ? ArrowDown : ArrowUpDown;
  return (
    <TableHead aria-sort={sort} className={cn('px-1', className)} {...props}>
      <button
        type="button"
        onClick={() => view.toggleSort(column)}
        className={cn(
          'inline-flex items-center gap-1 rounded-md px-2 py-1 hover:bg-accent hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring',
          sort !== 'none' && 'text-foreground',
        )}
      >
        {children}
        <Icon className={cn('size-3.5', sort === 'none' && 'opacity-40')} aria-hidden />
      </button>
    </TableHead>
  );
}
