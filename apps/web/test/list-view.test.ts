import { describe, expect, it } from 'vitest';
import { listRows } from '~/components/list/use-list-view';

interface Row {
  id: string;
  name: string | null;
  count: number;
}
const rows: Row[] = [
  { id: 'client-10', name: 'Orders gateway', count: 3 },
  { id: 'client-2', name: null, count: 10 },
  { id: 'Client-1', name: 'Billing', count: 3 },
  { id: 'batch', name: 'Nightly orders batch', count: 0 },
];
const options = {
  searchText: (r: Row) => [r.id, r.name],
  sortBy: { id: (r: Row) => r.id, name: (r: Row) => r.name, count: (r: Row) => r.count },
};
const ids = (list: Row[]) => list.map((r) => r.id);

describe('listRows (search and sorting of the console lists)', () => {
  it('keeps the list as it is without a search or a sort', () => {
    expect(ids(listRows(rows, options, '  ', null))).toEqual(ids(rows));
  });

  it('finds every word typed, in any field, whatever the case', () => {
    expect(ids(listRows(rows, options, 'ORDERS', null))).toEqual(['client-10', 'batch']);
    expect(ids(listRows(rows, options, 'orders night', null))).toEqual(['batch']);
    expect(ids(listRows(rows, options, 'client-1', null))).toEqual(['client-10', 'Client-1']);
    expect(listRows(rows, options, 'nothing like it', null)).toEqual([]);
  });

  it('sorts text in natural order, both ways, with empty values last', () => {
    const byId = (direction: 'ascending' | 'descending') =>
      ids(listRows(rows, options, '', { column: 'id', direction }));
    expect(byId('ascending')).toEqual(['batch', 'Client-1', 'client-2', 'client-10']);
    expect(byId('descending')).toEqual(['client-10', 'client-2', 'Client-1', 'batch']);
    const byName = (direction: 'ascending' | 'descending') =>
      ids(listRows(rows, options, '', { column: 'name', direction }));
    expect(byName('ascending')).toEqual(['Client-1', 'batch', 'client-10', 'client-2']);
    expect(byName('descending')).toEqual(['client-10', 'batch', 'Client-1', 'client-2']);
  });

  it('sorts numbers by value, keeping the order of equal ones', () => {
    expect(ids(listRows(rows, options, '', { column: 'count', direction: 'ascending' }))).toEqual([
      'batch',
      'client-10',
      'Client-1',
      'client-2',
    ]);
  });

  it('sorts what the search found, and never changes the list it was given', () => {
    const copy = [...rows];
    expect(
      ids(listRows(rows, options, 'client', { column: 'id', direction: 'descending' })),
    ).toEqual(['client-10', 'client-2', 'Client-1']);
    expect(rows).toEqual(copy);
  });
});
