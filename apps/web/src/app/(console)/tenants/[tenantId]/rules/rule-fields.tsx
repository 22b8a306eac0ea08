'use client';

import { Plus, X } from 'lucide-react';
import { type KeyboardEvent, type ReactNode, useId, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Input, Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { cn } from '~/lib/utils';

/**
 * Inputs for the rule editor's list fields. Every one is a real control with a label, its hint
 * and an inline error (`aria-invalid`, `aria-describedby`); values are rendered as text.
 */

/** A fieldset with a legend, hint and error: for groups of checkboxes and lists. */
export function FieldGroup({
  id,
  legend,
  hint,
  error,
  children,
}: {
  id: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  children: ReactNode;
}) {
  return (
    <fieldset className="grid gap-1.5" aria-describedby={error ? `${id}-error` : `${id}-hint`}>
      <legend className="mb-1.5 text-sm font-medium leading-none">{legend}</legend>
      {children}
      {hint && !error ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-destructive">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

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

/** A text box and an Add button (Enter adds too). */
function AddValue({
  id,
  label,
  placeholder,
  onAdd,
}: {
  id: string;
  label: string;
  placeholder?: string;
  onAdd: (value: string) => void;
}) {
  const [text, setText] = useState('');
  const add = () => {
    const v = text.trim();
    if (v) onAdd(v);
    setText('');
  };
  return (
    <div className="flex gap-2">
      <Input
        id={id}
        aria-label={label}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      />
      <Button type="button" variant="outline" onClick={add} disabled={!text.trim()}>
        <Plus aria-hidden /> Add
      </Button>
    </div>
  );
}

/**
 * A list of strings: each value an editable row with its own error and a remove button, and a
 * box to add one more.
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
}: {
  id: string;
  legend: string;
  hint?: ReactNode;
  error?: string;
  itemErrors?: (string | undefined)[];
  value: readonly string[];
  onChange: (next: string[]) => void;
  placeholder?: string;
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
                    aria-label={`${legend} ${i + 1}`}
                    className="font-mono text-xs"
                    value={item}
                    aria-invalid={Boolean(itemError)}
                    onChange={(e) => onChange(value.map((v, j) => (j === i ? e.target.value : v)))}
                  />
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    aria-label={`Remove ${item || `${legend} ${i + 1}`}`}
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
        label={`Add to ${legend.toLowerCase()}`}
        placeholder={placeholder}
        onAdd={(v) => onChange([...value, v])}
      />
    </FieldGroup>
  );
}

export type ActorMatcherInput = 'client' | { issuer: string; subjects?: string[] };

/**
 * Who may act in a delegation: the client itself (no actor token), and/or actor tokens from an
 * issuer ("self" for this tenant), optionally only for listed subjects.
 */
export function ActorsField({
  id,
  error,
  entryErrors,
  value,
  onChange,
  issuerOptions,
}: {
  id: string;
  error?: string;
  entryErrors?: (string | undefined)[];
  value: readonly ActorMatcherInput[];
  onChange: (next: ActorMatcherInput[]) => void;
  issuerOptions: string[];
}) {
  const listId = useId();
  const clientActs = value.includes('client');
  const entries = value
    .map((m, index) => ({ m, index }))
    .filter(
      (e): e is { m: Exclude<ActorMatcherInput, 'client'>; index: number } => e.m !== 'client',
    );
  const replace = (index: number, next: ActorMatcherInput) =>
    onChange(value.map((m, i) => (i === index ? next : m)));
  return (
    <FieldGroup
      id={id}
      legend="Actors"
      error={error}
      hint="Delegation: the issued token names the actor in act. The client itself, or the subject of an actor token."
    >
      <div className="flex items-start gap-2">
        <input
          id={`${id}-client`}
          type="checkbox"
          className="mt-0.5 size-4 accent-primary"
          checked={clientActs}
          aria-invalid={Boolean(error)}
          onChange={(e) =>
            onChange(e.target.checked ? ['client', ...value] : value.filter((m) => m !== 'client'))
          }
        />
        <Label htmlFor={`${id}-client`} className="font-normal leading-5">
          The client itself may act, without an actor token (
          <span className="font-mono">client</span>)
        </Label>
      </div>
      <datalist id={listId}>
        {issuerOptions.map((o) => (
          <option key={o} value={o} />
        ))}
      </datalist>
      <ul className="grid gap-2">
        {entries.map(({ m, index }, n) => {
          const entryError = entryErrors?.[index];
          return (
            <li key={index} className="grid gap-2 rounded-md border p-3">
              <div className="flex items-center justify-between gap-2">
                <span className="text-sm font-medium">Actor token issuer {n + 1}</span>
                <Button
                  type="button"
                  variant="ghost"
                  size="sm"
                  aria-label={`Remove actor token issuer ${n + 1}`}
                  onClick={() => onChange(value.filter((_, i) => i !== index))}
                >
                  <X aria-hidden /> Remove
                </Button>
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor={`${id}-${index}-issuer`}>Issuer</Label>
                <Input
                  id={`${id}-${index}-issuer`}
                  list={listId}
                  className="font-mono text-xs"
                  value={m.issuer}
                  placeholder="self, or a trusted issuer"
                  aria-invalid={Boolean(entryError)}
                  onChange={(e) => replace(index, { ...m, issuer: e.target.value })}
                />
              </div>
              <div className="grid gap-1.5">
                <Label htmlFor={`${id}-${index}-subjects`}>Allowed actor subjects</Label>
                <Textarea
                  id={`${id}-${index}-subjects`}
                  rows={2}
                  value={(m.subjects ?? []).join('\n')}
                  placeholder="One sub per line; empty: any subject of the issuer"
                  onChange={(e) => {
                    const subjects = e.target.value.split('\n').map((s) => s.trim());
                    const filled = subjects.some(Boolean);
                    replace(
                      index,
                      filled
                        ? { issuer: m.issuer, subjects: e.target.value.split('\n') }
                        : { issuer: m.issuer },
                    );
                  }}
                  onBlur={() => {
                    if (m.subjects)
                      replace(index, {
                        issuer: m.issuer,
                        subjects: m.subjects.map((s) => s.trim()).filter(Boolean),
                      });
                  }}
                />
              </div>
              {entryError ? <p className="text-xs text-destructive">{entryError}</p> : null}
            </li>
          );
        })}
      </ul>
      <div>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() => onChange([...value, { issuer: issuerOptions[0] ?? 'self' }])}
        >
          <Plus aria-hidden /> Add an actor token issuer
        </Button>
      </div>
    </FieldGroup>
  );
}

/** A checkbox with its label and hint. */
export function CheckboxField({
  id,
  label,
  hint,
  checked,
  onChange,
}: {
  id: string;
  label: string;
  hint?: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
}) {
  return (
    <div className="flex items-start gap-2">
      <input
        id={id}
        type="checkbox"
        className="mt-0.5 size-4 accent-primary"
        checked={checked}
        aria-describedby={hint ? `${id}-hint` : undefined}
        onChange={(e) => onChange(e.target.checked)}
      />
      <div className="grid gap-0.5">
        <Label htmlFor={id} className={cn('leading-5')}>
          {label}
        </Label>
        {hint ? (
          <p id={`${id}-hint`} className="text-xs text-muted-foreground">
            {hint}
          </p>
        ) : null}
      </div>
    </div>
  );
}
