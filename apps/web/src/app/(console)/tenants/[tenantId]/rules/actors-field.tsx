'use client';

import { Plus, X } from 'lucide-react';
import { useId } from 'react';
import { FieldGroup } from '~/components/form/field-group';
import { Button } from '~/components/ui/button';
import { Input, Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';

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
