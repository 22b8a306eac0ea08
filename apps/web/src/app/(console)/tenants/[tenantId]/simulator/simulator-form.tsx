'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { FlaskConical } from 'lucide-react';
import { useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import type { TRule } from '~/server/trpc/routers/rule/rule.schema';
import {
  type TSimulatorForm,
  type TSimulatorFormInput,
  type TTokenFormInput,
  ZSimulatorFormSchema,
} from '~/server/trpc/routers/simulator/simulator.schema';
import { ACCESS_TOKEN } from '../rules/rule-draft';
import { ClientField, type SimulatorClient } from './client-field';
import { RequestFields } from './request-fields';
import { SimulationResult } from './simulation-result';
import { TokenFields } from './token-fields';

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

/** The simulated request (client, subject and actor tokens, request parameters) and its result. */
export function SimulatorForm({
  tenantId,
  clients,
  testIssuer,
  draft,
}: {
  tenantId: string;
  clients: SimulatorClient[];
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
        <ClientField form={form} clients={clients} />
        <TokenFields form={form} which="subject" testIssuer={testIssuer} />
        {!acceptsTestIssuer ? (
          <p className="text-xs text-amber-800">
            The draft does not list the test issuer in its subject issuers: a composed subject token
            will not match it.
          </p>
        ) : null}
        <TokenFields form={form} which="actor" testIssuer={testIssuer} />
        <RequestFields form={form} />
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
