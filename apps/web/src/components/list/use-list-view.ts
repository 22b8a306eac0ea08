'use client';

import { useMemo, useState } from 'react';

/**
 * Search, sorting and pagination of a list the page has loaded whole (tenants, clients, trusted
 * issuers, rules): one hook, with ListSearch, SortableHead and ListPagination to show it.
 */

export type SortDirection = 'ascending' | 'descending';
export type SortValue = string | number | boolean | Date | null | undefined;

export interface ListViewOptions<T, C extends string = never> {
  /** The texts a search looks in: every word typed must appear in one of them (any case). */
  searchText: (item: T) => readonly (string | null | undefined)[];
  /**
   * The sortable columns and each one's value; none for a list whose order means something.
   * Define options once, outside the component: they are compared by identity.
   */
  sortBy?: Record<C, (item: T) => SortValue>;
  /** The order before the admin picks one (else the list's own order). */
  initialSort?: { column: C; direction: SortDirection };
  pageSize?: number;
}

export interface ListView<T, C extends string = never> {
  query: string;
  setQuery(query: string): void;
  /** The column sorted by, or null: the list's own order. */
  sort: { column: C; direction: SortDirection } | null;
  /** Sorts by `column`, ascending first; again: descending. */
  toggleSort(column: C): void;
  /** The column's `aria-sort`. */
  sortOf(column: C): SortDirection | 'none';
  /** The items of the current page. */
  items: T[];
  /** Items matching the search, and all items. */
  matching: number;
  total: number;
  /** From 0; always a page that exists. */
  page: number;
  pageCount: number;
  pageSize: number;
  setPage(page: number): void;
}

export const LIST_PAGE_SIZE = 25;

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

const isEmpty = (v: SortValue): v is null | undefined | '' =>
  v === null || v === undefined || v === '';

/** Text in natural order ("client-2" before "client-10"), numbers, booleans and dates by value. */
function compare(a: SortValue, b: SortValue): number {
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b);
  return Number(a) - Number(b);
}

/** The matching items in order (search, then sort): a pure function of the list and the view. */
export function listRows<T, C extends string>(
  all: readonly T[],
  { searchText, sortBy }: Pick<ListViewOptions<T, C>, 'searchText' | 'sortBy'>,
  query: string,
  sort: { column: C; direction: SortDirection } | null,
): T[] {
  const terms = query.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const found =
    terms.length === 0
      ? [...all]
      : all.filter((item) => {
          const texts = searchText(item)
            .filter((t): t is string => Boolean(t))
            .map((t) => t.toLocaleLowerCase());
          return terms.every((term) => texts.some((t) => t.includes(term)));
        });
  const value = sort && sortBy?.[sort.column];
  if (!sort || !value) return found;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  // Array.prototype.sort is stable: equal values keep the list's own order.
  return found.sort((a, b) => {
    const [va, vb] = [value(a), value(b)];
    // Empty values stay last in both directions.
    if (isEmpty(va) || isEmpty(vb)) return Number(isEmpty(va)) - Number(isEmpty(vb));
    return sign * compare(va, vb);
  });
}

export function useListView<T, C extends string = never>(
  all: readonly T[] | undefined,
  options: ListViewOptions<T, C>,
): ListView<T, C> {
  const { initialSort, pageSize = LIST_PAGE_SIZE } = options;
  const [query, setQueryState] = useState('');
  const [sort, setSort] = useState(initialSort ?? null);
  const [wantedPage, setPage] = useState(0);
  const sorted = useMemo(
    () => listRows(all ?? [], options, query, sort),
    [all, options, query, sort],
  );

  const pageCount = Math.max(1, Math.ceil(sorted.length / pageSize));
  // A page that no longer exists (the search narrowed, a row was deleted): the last one.
  const page = Math.min(wantedPage, pageCount - 1);
  return {
    query,
    setQuery(next) {
      setQueryState(next);
      setPage(0);
    },
    sort,
    toggleSort(column) {
      setSort((current) =>
        current?.column === column && current.direction === 'ascending'
          ? { column, direction: 'descending' }
          : { column, direction: 'ascending' },
      );
      setPage(0);
    },
    sortOf: (column) => (sort?.column === column ? sort.direction : 'none'),
    items: sorted.slice(page * pageSize, (page + 1) * pageSize),
    matching: sorted.length,
    total: all?.length ?? 0,
    page,
    pageCount,
    pageSize,
    setPage: (next) => setPage(Math.max(0, Math.min(next, pageCount - 1))),
  };
}
