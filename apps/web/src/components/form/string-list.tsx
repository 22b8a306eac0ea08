'use client';

import { X } from 'lucide-react';
import type { ReactNode } from 'react';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';
import { AddValue } from './add-value';
import { FieldGroup } from './field-group';

/**
 * A list of strings: each value an editable row with its own error and a remove button, and a
 * box to add one more. The add box is labelled `addLabel` ("Add to <legend>" by default), each
 * row "<itemLabel> <n>" (the legend by default); with `unique`, adding a value already listed
 * does nothing.
 */
export function StringList({
  id,
  legend,
  hint,
  error,
  itemErrors,
  value,
  onChange,
  placeholder,
  addLabel = `Add to ${legend.toLowerCase()}`,
  itemLabel = legend,
  unique = false,
}: {
  id: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  itemErrors?: (string | undefined)[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  placeholder?: string;
  addLabel?: string;
  itemLabel?: string;
  unique?: boolean;
}) {
  const firstItemError = itemErrors?.find(Boolean);
  return (
    <FieldGroup id={id} legend={legend} hint={hint} error={error ?? firstItemError}>
      {value.length > 0 ? (
        <ul className="grid gap-1">
          {value.map((item, i) => {
            const itemError = itemErrors?.[i];
            return (
              // Rows are positional: editing a value must not remount its input.
              // biome-ignore lint/suspicious/noArrayIndexKey: the index is the row's identity
              <li key={i} className="grid gap-0.5">
                <div className="flex gap-2">
                  <Input
                    aria-label={`${itemLabel} ${i + 1}`}
                    className="font-mono text-xs"
                    value={item}
                    aria-invalid={Boolean(itemError)}
                    onChange={(e) => onChange(value.map((v, j) => (j === i ? e.target.value : v)))}
                  />
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove ${item || `${itemLabel} ${i + 1}`}`}
                    onClick={() => onChange(value.filter((_, j) => j !== i))}
                  >
                    <X aria-hidden />
                  </Button>
                </div>
                {itemError ? <p className="text-xs text-destructive">{itemError}</p> : null}
              </li>
            );
          })}
        </ul>
      ) : null}
      <AddValue
        id={`${id}-add`}
        label={addLabel}
        placeholder={placeholder}
        onAdd={(v) => {
          if (!unique || !value.includes(v)) onChange([...value, v]);
        }}
      />
    </FieldGroup>
  );
}
