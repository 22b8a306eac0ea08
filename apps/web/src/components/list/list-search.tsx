'use client';

import { Search } from 'lucide-react';
import { Input } from '~/components/ui/input';
import type { ListView } from './use-list-view';

/** The list's search box: filters as the admin types. */
export function ListSearch({
  view,
  label,
  placeholder,
}: {
  view: Pick<ListView<unknown, string>, 'query' | 'setQuery'>;
  /** Its accessible name, e.g. "Search clients". */
  label: string;
  placeholder: string;
}) {
  return (
    <div className="relative w-full sm:max-w-xs">
      <Search
        className="pointer-events-none absolute left-2.5 top-1/2 size-4 -translate-y-1/2 text-muted-foreground"
        aria-hidden
      />
      <Input
        type="search"
        aria-label={label}
        placeholder={placeholder}
        value={view.query}
        onChange={(e) => view.setQuery(e.target.value)}
        className="pl-8"
        autoComplete="off"
        spellCheck={false}
      />
    </div>
  );
}
