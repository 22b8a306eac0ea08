'use client';

import type { ReactNode } from 'react';
import { Label } from '~/components/ui/label';
import { AddValue } from './add-value';
import { FieldGroup } from './field-group';

export interface ChoiceOption {
  value: string;
  label: ReactNode;
  hint?: string;
}

/**
 * Checkboxes over known options, plus any value already chosen that is not among them, plus
 * (with `customPlaceholder`) a text box to add one more.
 */
export function ChoiceList({
  id,
  legend,
  hint,
  error,
  options,
  value,
  onChange,
  customPlaceholder,
  unknownHint,
}: {
  id: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  options: ChoiceOption[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  customPlaceholder?: string;
  /** Shown next to a chosen value that is not among the options. */
  unknownHint?: string;
}) {
  const known = new Set(options.map((o) => o.value));
  const all = [
    ...options,
    ...value
      .filter((v) => !known.has(v))
      .map((v) => ({ value: v, label: <span className="font-mono">{v}</span>, hint: unknownHint })),
  ];
  const toggle = (v: string, on: boolean) =>
    onChange(on ? [...value, v] : value.filter((x) => x !== v));
  return (
    <FieldGroup id={id} legend={legend} hint={hint} error={error}>
      {all.length === 0 ? (
        <p className="text-xs text-muted-foreground">Nothing to choose yet.</p>
      ) : null}
      <div className="grid gap-1">
        {all.map((o, i) => {
          const boxId = `${id}-${i}`;
          return (
            <div key={o.value} className="flex items-start gap-2">
              <input
                id={boxId}
                type="checkbox"
                className="mt-0.5 size-4 accent-primary"
                checked={value.includes(o.value)}
                aria-invalid={Boolean(error)}
                onChange={(e) => toggle(o.value, e.target.checked)}
              />
              <Label htmlFor={boxId} className="font-normal leading-5">
                {o.label}
                {o.hint ? (
                  <span className="ml-1 text-xs text-muted-foreground">({o.hint})</span>
                ) : null}
              </Label>
            </div>
          );
        })}
      </div>
      {customPlaceholder ? (
        <AddValue
          id={`${id}-custom`}
          label={`Add to ${legend.toLowerCase()}`}
          placeholder={customPlaceholder}
          onAdd={(v) => {
            if (!value.includes(v)) onChange([...value, v]);
          }}
        />
      ) : null}
    </FieldGroup>
  );
}
