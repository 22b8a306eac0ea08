'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import type { ComposeIssuer } from '@sts/console';
import { useMutation } from '@tanstack/react-query';
import { FlaskConical } from 'lucide-react';
import { useForm, useWatch } from 'react-hook-form';
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

const token = (
  sub: string,
  source: TTokenFormInput['source'],
  issuer: ComposeIssuer | undefined,
  tenantIssuer: string,
): TTokenFormInput => ({
  source,
  tokenType: ACCESS_TOKEN,
  issuer: issuer?.issuer ?? tenantIssuer,
  token: '',
  sub,
  scope: '',
  // An audience the issuer's tokens must carry, so the default run is not refused for lacking it.
  audiences: issuer?.audiences.slice(0, 1) ?? [],
  extraClaims: '',
  lifetimeSeconds: 600,
});

/** The simulated request (client, subject and actor tokens, request parameters) and its result. */
export function SimulatorForm({
  tenantId,
  clients,
  issuers,
  tenantIssuer,
  draft,
}: {
  tenantId: string;
  clients: SimulatorClient[];
  /** Who a composed token may claim to come from. */
  issuers: ComposeIssuer[];
  tenantIssuer: string;
  draft?: { rule: TRule; replaces: string | null };
}) {
  const trpc = useTRPC();
  const usable = clients.find((c) => !c.disabled && c.allowTokenExchange);
  // With a draft, start from what it allows: its first client, subject issuer and audience, and
  // its scopes. Otherwise the first trusted issuer (or the tenant itself).
  const draftClient = draft?.rule.clients.find((c) => clients.some((x) => x.clientId === c));
  const accepted = (issuer: string) =>
    !draft || draft.rule.subjectIssuers.some((i) => (i === 'self' ? tenantIssuer : i) === issuer);
  const firstIssuer =
    issuers.find((i) => i.kind !== 'test' && accepted(i.issuer)) ??
    issuers.find((i) => i.kind !== 'test');
  const form = useForm<TSimulatorFormInput, unknown, TSimulatorForm>({
    resolver: zodResolver(ZSimulatorFormSchema),
    defaultValues: {
      clientId: draftClient ?? usable?.clientId ?? clients[0]?.clientId ?? '',
      subject: {
        ...token('alice', 'compose', firstIssuer, tenantIssuer),
        scope: draft?.rule.scopes.join(' ') ?? '',
      },
      actor: token('service-a', 'none', firstIssuer, tenantIssuer),
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
  const subject = useWatch({ control: form.control, name: 'subject' });

  return (
    <div className="grid gap-6">
      <form onSubmit={submit} noValidate className="grid gap-5" aria-label="Simulated request">
        <ClientField form={form} clients={clients} />
        <TokenFields form={form} which="subject" issuers={issuers} />
        {subject.source === 'compose' && !accepted(subject.issuer) ? (
          <p className="text-xs text-warning">
            The draft does not list this issuer in its subject issuers: a subject token from it will
            not match the draft.
          </p>
        ) : null}
        <TokenFields form={form} which="actor" issuers={issuers} />
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
