'use client';

import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { Input, NativeSelect } from '~/components/ui/input';
import type { TAuditFilter } from '~/server/trpc/routers/audit/audit.schema';
import {
  type AuditUrlState,
  auditPath,
  auditQuery,
  fromUtcInput,
  type TEXT_FILTERS,
  toUtcInput,
} from './audit-url';

/** OAuth error codes the token endpoint answers with (RFC 6749 §5.2, RFC 8693 §2.2.2). */
const ERROR_CODES = [
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'temporarily_unavailable',
  'server_error',
];

const TEXT_FIELDS: { key: keyof typeof TEXT_FILTERS; label: string; hint?: string }[] = [
  { key: 'text', label: 'Search', hint: 'Words in the reason of a denial' },
  { key: 'clientId', label: 'Client id', hint: 'Any part of it' },
  { key: 'subject', label: 'Subject (sub)', hint: 'Any part of it' },
  { key: 'actor', label: 'Actor', hint: 'Who tried to act: the actor token’s sub, or the client' },
  { key: 'issuer', label: 'Subject issuer', hint: 'Any part of the iss of the subject token' },
  { key: 'audience', label: 'Audience', hint: 'Any part of a requested or granted one' },
  { key: 'errorCode', label: 'Error code' },
  { key: 'reason', label: 'Failing check', hint: 'e.g. subject_token.signature or policy.scope' },
];

const MAX_TEXT = 1024;

/**
 * The explorer's filters. Applying one navigates to the URL that holds it (a new history entry,
 * so the back button returns to the previous view) and starts again from the newest event.
 */
export function AuditFilters({ tenantId, state }: { tenantId: string; state: AuditUrlState }) {
  const router = useRouter();
  const [errors, setErrors] = useState<Partial<Record<'from' | 'to', string>>>({});

  function apply(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const text = (name: string) => String(data.get(name) ?? '').trim();
    const filter: TAuditFilter = {};
    const problems: typeof errors = {};
    for (const name of ['from', 'to'] as const) {
      const value = text(name);
      if (!value) continue;
      const date = fromUtcInput(value);
      if (date) filter[name] = date;
      else problems[name] = 'Enter a date and time';
    }
    if (filter.from && filter.to && filter.from >= filter.to)
      problems.to = 'The end must be after the start';
    for (const { key } of TEXT_FIELDS) {
      const value = text(key);
      if (value) filter[key] = value.slice(0, MAX_TEXT);
    }
    const decision = text('decision');
    if (decision === 'granted' || decision === 'denied') filter.decision = decision;
    setErrors(problems);
    if (Object.keys(problems).length > 0) return;
    const pageSize = text('pageSize') === '50' ? 50 : 25;
    router.push(`${auditPath(tenantId)}${auditQuery({ filter, pageSize, range: state.range })}`);
  }

  const f = state.filter;
  return (
    <form
      onSubmit={apply}
      noValidate
      aria-label="Filter events"
      className="grid gap-3 rounded-md border bg-muted/30 p-3"
    >
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field id="audit-from" label="From (UTC)" error={errors.from}>
          <Input
            id="audit-from"
            name="from"
            type="datetime-local"
            defaultValue={toUtcInput(f.from)}
            aria-invalid={Boolean(errors.from)}
            aria-describedby={errors.from ? 'audit-from-error' : undefined}
          />
        </Field>
        <Field id="audit-to" label="To (UTC)" error={errors.to}>
          <Input
            id="audit-to"
            name="to"
            type="datetime-local"
            defaultValue={toUtcInput(f.to)}
            aria-invalid={Boolean(errors.to)}
            aria-describedby={errors.to ? 'audit-to-error' : undefined}
          />
        </Field>
        <Field id="audit-decision" label="Decision">
          <NativeSelect id="audit-decision" name="decision" defaultValue={f.decision ?? ''}>
            <option value="">Any</option>
            <option value="granted">Granted</option>
            <option value="denied">Denied</option>
          </NativeSelect>
        </Field>
        <Field id="audit-pageSize" label="Per page">
          <NativeSelect id="audit-pageSize" name="pageSize" defaultValue={String(state.pageSize)}>
            <option value="25">25</option>
            <option value="50">50</option>
          </NativeSelect>
        </Field>
        {TEXT_FIELDS.map(({ key, label, hint }) => (
          <Field key={key} id={`audit-${key}`} label={label} hint={hint}>
            <Input
              id={`audit-${key}`}
              name={key}
              defaultValue={f[key] ?? ''}
              maxLength={MAX_TEXT}
              autoComplete="off"
              spellCheck={false}
              list={key === 'errorCode' ? 'audit-error-codes' : undefined}
              className="font-mono text-xs"
            />
          </Field>
        ))}
      </div>
      <datalist id="audit-error-codes">
        {ERROR_CODES.map((code) => (
          <option key={code} value={code} />
        ))}
      </datalist>
      <div className="flex gap-2">
        <Button type="submit" size="sm">
          Apply filters
        </Button>
        <Button
          type="button"
          variant="outline"
          size="sm"
          onClick={() => router.push(`${auditPath(tenantId)}${auditQuery({ range: state.range })}`)}
        >
          Clear
        </Button>
      </div>
    </form>
  );
}
