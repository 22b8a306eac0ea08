'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import { FlaskConical } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import { StringList } from '~/components/form/string-list';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, NativeSelect } from '~/components/ui/input';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { type TRule, ZRuleSchema } from '~/server/trpc/routers/rule/rule.schema';
import {
  ISSUABLE_TOKEN_TYPE_VALUES,
  type TSimulatorForm,
  type TSimulatorFormInput,
  type TTokenFormInput,
  ZSimulatorFormSchema,
} from '~/server/trpc/routers/simulator/simulator.schema';
import { ACCESS_TOKEN, loadRuleDraft, TOKEN_TYPE_LABELS } from '../rules/rule-draft';
import { SimulationResult } from './simulation-result';
import { TestIssuerCard } from './test-issuer-card';
import { TokenFields } from './token-fields';

type Draft =
  | { state: 'none' }
  | { state: 'missing' }
  | { state: 'invalid' }
  | { state: 'ready'; rule: TRule; replaces: string | null };

const token = (sub: string, source: TTokenFormInput['source']): TTokenFormInput => ({
  source,
  tokenType: ACCESS_TOKEN,
  token: '',
  sub,
  scope: '',
  audiences: [],
  extraClaims: '',
  lifetimeSeconds: 600,
});

/**
 * The exchange simulator: pick a client, compose or paste the tokens, name the targets, and see
 * what the STS would decide (core's exchange(), read-only) against the saved rules or the draft
 * carried over from the rule editor (`withDraft`).
 */
export function SimulatorView({
  tenantId,
  canWrite,
  withDraft,
}: {
  tenantId: string;
  canWrite: boolean;
  withDraft: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const options = useQuery(trpc.simulator.options.queryOptions({ tenantId }));
  const [draft, setDraft] = useState<Draft>({ state: 'none' });
  useEffect(() => {
    if (!withDraft) {
      setDraft({ state: 'none' });
      return;
    }
    const stored = loadRuleDraft(tenantId);
    if (!stored) return setDraft({ state: 'missing' });
    const parsed = ZRuleSchema.safeParse(stored.values);
    setDraft(
      parsed.success
        ? { state: 'ready', rule: parsed.data, replaces: stored.replaces }
        : { state: 'invalid' },
    );
  }, [tenantId, withDraft]);

  if (options.isPending) return <Loading label="Loading the tenant…" />;
  if (options.isError) return <ErrorState message={errorMessage(options.error)} />;
  const { clients, testIssuer, tokenEndpoint, rules } = options.data;
  const editorUrl =
    draft.state === 'ready'
      ? `/tenants/${tenantId}/rules/${draft.replaces ?? 'new'}`
      : `/tenants/${tenantId}/rules`;

  return (
    <div className="grid gap-4">
      {draft.state === 'ready' ? (
        <div
          role="status"
          className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
        >
          <span>
            Simulating with the <strong>unsaved draft</strong> of rule{' '}
            <span className="font-mono">{draft.rule.id}</span>
            {draft.replaces
              ? draft.replaces === draft.rule.id
                ? ' in place of the saved one.'
                : ` in place of ${draft.replaces}.`
              : ', after the saved rules.'}
          </span>
          <span className="flex gap-2">
            <Button variant="outline" size="sm" asChild>
              <Link href={editorUrl}>Back to the editor</Link>
            </Button>
            <Button
              variant="ghost"
              size="sm"
              onClick={() => router.replace(`/tenants/${tenantId}/simulator`)}
            >
              Use the saved rules
            </Button>
          </span>
        </div>
      ) : null}
      {draft.state === 'missing' || draft.state === 'invalid' ? (
        <ErrorState
          message={
            draft.state === 'missing'
              ? 'No draft to simulate in this browser tab: the simulator uses the saved rules.'
              : 'The draft is not a valid rule: fix it in the editor. The simulator uses the saved rules.'
          }
        />
      ) : null}

      <div className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_320px]">
        <Card>
          <CardHeader>
            <CardTitle className="flex items-center gap-2">
              <FlaskConical className="size-4" aria-hidden /> Exchange simulator
            </CardTitle>
            <CardDescription>
              Runs the STS's own decision code on this tenant's configuration. Nothing is issued,
              signed with the tenant's keys or recorded in the audit log.
            </CardDescription>
          </CardHeader>
          <CardContent>
            {clients.length === 0 ? (
              <Empty title="No clients yet">
                Exchanges are made by a client.{' '}
                <Link className="text-primary underline" href={`/tenants/${tenantId}/clients`}>
                  Add one
                </Link>{' '}
                to simulate.
              </Empty>
            ) : (
              <SimulatorForm
                key={draft.state === 'ready' ? `draft-${draft.rule.id}` : 'saved'}
                tenantId={tenantId}
                clients={clients}
                testIssuer={testIssuer.issuer}
                draft={draft.state === 'ready' ? draft : undefined}
              />
            )}
          </CardContent>
        </Card>
        <div className="grid gap-4">
          <TestIssuerCard tenantId={tenantId} status={testIssuer} canWrite={canWrite} />
          <Card>
            <CardHeader>
              <CardTitle>Saved rules</CardTitle>
              <CardDescription>
                The STS at <span className="break-all font-mono">{tokenEndpoint}</span> tries them
                in this order.
              </CardDescription>
            </CardHeader>
            <CardContent>
              {rules.length === 0 ? (
                <p className="text-sm text-muted-foreground">None: every exchange is refused.</p>
              ) : (
                <ol className="grid list-decimal gap-1 pl-5 text-sm">
                  {rules.map((r) => (
                    <li key={r.id} className="font-mono">
                      {r.id}
                      {r.disabled ? (
                        <span className="font-sans text-muted-foreground"> (disabled)</span>
                      ) : null}
                    </li>
                  ))}
                </ol>
              )}
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}

function SimulatorForm({
  tenantId,
  clients,
  testIssuer,
  draft,
}: {
  tenantId: string;
  clients: {
    clientId: string;
    displayName: string | null;
    disabled: boolean;
    allowTokenExchange: boolean;
  }[];
  testIssuer: string;
  draft?: { rule: TRule; replaces: string | null };
}) {
  const trpc = useTRPC();
  const usable = clients.find((c) => !c.disabled && c.allowTokenExchange);
  // With a draft, start from what it allows: its first client and audience and its scopes.
  const draftClient = draft?.rule.clients.find((c) => clients.some((x) => x.clientId === c));
  const form = useForm<TSimulatorFormInput, unknown, TSimulatorForm>({
    resolver: zodResolver(ZSimulatorFormSchema),
    defaultValues: {
      clientId: draftClient ?? usable?.clientId ?? clients[0]?.clientId ?? '',
      subject: { ...token('alice', 'compose'), scope: draft?.rule.scopes.join(' ') ?? '' },
      actor: token('service-a', 'none'),
      audiences: draft?.rule.audiences.slice(0, 1) ?? [],
      resources: [],
      scope: '',
      requestedTokenType: '',
    },
  });
  const { errors } = form.formState;
  const run = useMutation(trpc.simulator.run.mutationOptions());
  const submit = form.handleSubmit((values) =>
    run.mutate({
      tenantId,
      ...values,
      draftRule: draft?.rule,
      draftReplacesRuleId: draft?.replaces ?? undefined,
    }),
  );
  const acceptsTestIssuer = !draft || draft.rule.subjectIssuers.includes(testIssuer);

  return (
    <div className="grid gap-6">
      <form onSubmit={submit} noValidate className="grid gap-5" aria-label="Simulated request">
        <Field
          id="sim-client"
          label="Client"
          hint="As if this client had authenticated."
          error={errors.clientId?.message}
        >
          <NativeSelect
            id="sim-client"
            aria-invalid={Boolean(errors.clientId)}
            {...form.register('clientId')}
          >
            {clients.map((c) => (
              <option key={c.clientId} value={c.clientId}>
                {c.clientId}
                {c.displayName ? ` — ${c.displayName}` : ''}
                {c.disabled ? ' (disabled)' : ''}
                {!c.allowTokenExchange ? ' (no token exchange)' : ''}
              </option>
            ))}
          </NativeSelect>
        </Field>

        <TokenFields form={form} which="subject" testIssuer={testIssuer} />
        {!acceptsTestIssuer ? (
          <p className="text-xs text-amber-800">
            The draft does not list the test issuer in its subject issuers: a composed subject token
            will not match it.
          </p>
        ) : null}
        <TokenFields form={form} which="actor" testIssuer={testIssuer} />

        <div className="grid gap-4 rounded-md border p-3">
          <p className="text-sm font-medium">Request</p>
          <Controller
            control={form.control}
            name="audiences"
            render={({ field }) => (
              <StringList
                id="sim-audiences"
                legend="audience"
                hint="Repeatable. Logical names or URIs of the target service."
                error={errors.audiences?.message}
                value={field.value ?? []}
                onChange={field.onChange}
                placeholder="https://orders.example"
              />
            )}
          />
          <Controller
            control={form.control}
            name="resources"
            render={({ field }) => (
              <StringList
                id="sim-resources"
                legend="resource"
                hint="Repeatable. Absolute URIs (RFC 8707)."
                error={errors.resources?.message}
                value={field.value ?? []}
                onChange={field.onChange}
                placeholder="https://orders.example/api"
              />
            )}
          />
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              id="sim-scope"
              label="scope"
              hint="Space-separated; empty: not sent."
              error={errors.scope?.message}
            >
              <Input
                id="sim-scope"
                aria-invalid={Boolean(errors.scope)}
                {...form.register('scope')}
              />
            </Field>
            <Field
              id="sim-requested-type"
              label="requested_token_type"
              error={errors.requestedTokenType?.message}
            >
              <NativeSelect id="sim-requested-type" {...form.register('requestedTokenType')}>
                <option value="">Not sent (access token)</option>
                {ISSUABLE_TOKEN_TYPE_VALUES.map((t) => (
                  <option key={t} value={t}>
                    {TOKEN_TYPE_LABELS[t] ?? t} ({t})
                  </option>
                ))}
              </NativeSelect>
            </Field>
          </div>
        </div>

        {run.isError ? <ErrorState message={errorMessage(run.error)} /> : null}
        <div>
          <Button type="submit" disabled={run.isPending}>
            <FlaskConical aria-hidden />{' '}
            {run.isPending ? 'Running…' : draft ? 'Simulate with the draft' : 'Simulate'}
          </Button>
        </div>
      </form>
      <div aria-live="polite">
        {run.isPending ? <Loading label="Deciding…" /> : null}
        {run.data ? <SimulationResult result={run.data} /> : null}
      </div>
    </div>
  );
}
