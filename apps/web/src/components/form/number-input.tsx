import type { ComponentProps } from 'react';
import { Input } from '~/components/ui/input';

/**
 * A number input bound to a form value: an empty box is `empty` (undefined for an optional
 * field; NaN for a required one, which validation then reports), and shows as empty.
 */
export function NumberInput({
  value,
  onChange,
  empty,
  ...props
}: Omit<ComponentProps<'input'>, 'value' | 'onChange' | 'type'> & {
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  empty: undefined | number;
}) {
  return (
    <Input
      type="number"
      value={value === undefined || Number.isNaN(value) ? '' : value}
      onChange={(e) => onChange(e.target.value === '' ? empty : Number(e.target.value))}
      {...props}
    />
  );
}
