'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import {
  keepPreviousData,
  skipToken,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { TRPCClientError } from '@trpc/client';
import { FlaskConical } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';
import { Controller, type FieldPath, useForm, useWatch } from 'react-hook-form';
import { CheckboxField } from '~/components/form/checkbox-field';
import { ChoiceList } from '~/components/form/choice-list';
import { FieldGroup } from '~/components/form/field-group';
import { StringList } from '~/components/form/string-list';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input, Textarea } from '~/components/ui/input';
import { Label } from '~/components/ui/label';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { itemMessages, messageOf, useDebounced } from '~/lib/form-helpers';
import { errorMessage, fieldErrors, useTRPC } from '~/lib/trpc';
import {
  type TRule,
  type TRuleInput,
  ZRuleDraftSchema,
  ZRuleSchema,
} from '~/server/trpc/routers/rule/rule.schema';
import {
  ISSUABLE_TOKEN_TYPE_VALUES,
  SUBJECT_TOKEN_TYPE_VALUES,
} from '~/server/trpc/routers/simulator/simulator.schema';
import { ActorsField } from './actors-field';
import { FileSourceNotice } from './file-source-notice';
import {
  clearRuleDraft,
  loadRuleDraft,
  NEW_RULE,
  saveRuleDraft,
  TOKEN_TYPE_LABELS,
} from './rule-draft';
import { RuleFindings } from './rule-findings';

/** The editor of one rule (`ruleId`) or of a new one: loads the rules, then the form. */
export function RuleEditor({
  tenantId,
  ruleId,
  canWrite,
}: {
  tenantId: string;
  ruleId?: string;
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const list = useQuery(trpc.rule.list.queryOptions({ tenantId }));
  if (list.isPending) return <Loading label="Loading the rules…" />;
  if (list.isError) return <ErrorState message={errorMessage(list.error)} />;
  const existing = ruleId ? list.data.rules.find((r) => r.rule.id === ruleId) : undefined;
  if (ruleId && !existing)
    return (
      <Empty title={`No rule "${ruleId}"`}>
        It may have been renamed or deleted.{' '}
        <Link className="text-primary underline" href={`/tenants/${tenantId}/rules`}>
          Back to the rules
        </Link>
      </Empty>
    );
  return (
    <div className="grid gap-4">
      {list.data.source === 'file' ? <FileSourceNotice /> : null}
      <RuleForm
        key={ruleId ?? 'new'}
        tenantId={tenantId}
        ruleId={ruleId}
        initial={existing ? existing.rule : NEW_RULE}
        clientIds={list.data.clientIds}
        trustedIssuers={list.data.trustedIssuers}
        canWrite={canWrite}
      />
    </div>
  );
}

function RuleForm({
  tenantId,
  ruleId,
  initial,
  clientIds,
  trustedIssuers,
  canWrite,
}: {
  tenantId: string;
  ruleId?: string;
  initial: TRuleInput;
  clientIds: string[];
  trustedIssuers: string[];
  canWrite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const rulesUrl = `/tenants/${tenantId}/rules`;
  const form = useForm<TRuleInput, unknown, TRule>({
    resolver: zodResolver(ZRuleSchema),
    defaultValues: initial,
    mode: 'onChange',
  });
  const { errors } = form.formState;
  const { control } = form;

  // A draft carried to the simulator comes back when the editor opens again.
  const [restored, setRestored] = useState(false);
  useEffect(() => {
    const stored = loadRuleDraft(tenantId);
    if (stored && stored.replaces === (ruleId ?? null)) {
      form.reset(stored.values);
      setRestored(true);
    }
  }, [tenantId, ruleId, form]);

  const values = useWatch({ control }) as TRuleInput;
  const draft = ZRuleDraftSchema.safeParse(useDebounced(values, 300));
  const preview = useQuery({
    ...trpc.rule.preview.queryOptions(
      draft.success ? { tenantId, draft: draft.data, replaces: ruleId } : skipToken,
    ),
    placeholderData: keepPreviousData,
  });

  const onSaved = async () => {
    clearRuleDraft(tenantId);
    await queryClient.invalidateQueries({ queryKey: trpc.rule.list.queryKey() });
    router.push(rulesUrl);
  };
  const onError = (err: unknown) => {
    for (const [field, messages] of Object.entries(fieldErrors(err)))
      if (messages?.[0]) form.setError(field as FieldPath<TRuleInput>, { message: messages[0] });
    if (
      err instanceof TRPCClientError &&
      err.data?.code === 'CONFLICT' &&
      /rule with id/.test(err.message)
    )
      form.setError('id', { message: err.message });
  };
  const create = useMutation(trpc.rule.create.mutationOptions({ onSuccess: onSaved, onError }));
  const update = useMutation(trpc.rule.update.mutationOptions({ onSuccess: onSaved, onError }));
  const saving = create.isPending || update.isPending;
  const saveError = create.error ?? update.error;

  const save = form.handleSubmit((rule) => {
    const clean = { ...rule, description: rule.description?.trim() || undefined };
    if (ruleId) update.mutate({ tenantId, ruleId, ...clean });
    else create.mutate({ tenantId, ...clean });
  });
  const simulate = form.handleSubmit((rule) => {
    saveRuleDraft(tenantId, { replaces: ruleId ?? null, values: rule, savedAt: Date.now() });
    router.push(`/tenants/${tenantId}/simulator?draft=1`);
  });

  const clientOptions = [
    { value: '*', label: 'Any client of the tenant (*)' },
    ...clientIds.map((id) => ({ value: id, label: <span className="font-mono">{id}</span> })),
  ];
  const issuerOptions = [
    { value: 'self', label: 'Tokens this tenant issued (self)' },
    ...trustedIssuers.map((i) => ({ value: i, label: <span className="font-mono">{i}</span> })),
  ];
  const typeOption = (v: string) => ({
    value: v,
    label: (
      <>
        {TOKEN_TYPE_LABELS[v] ?? v}{' '}
        <span className="font-mono text-xs text-muted-foreground">{v}</span>
      </>
    ),
  });
  const delegation = values.mode === 'delegation';

  return (
    <form
      onSubmit={save}
      noValidate
      className="grid items-start gap-4 lg:grid-cols-[minmax(0,1fr)_360px]"
    >
      <div className="grid gap-4">
        {restored ? (
          <div
            role="status"
            className="flex flex-wrap items-center justify-between gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950"
          >
            Restored the unsaved draft you took to the simulator.
            <Button
              type="button"
              variant="outline"
              size="sm"
              onClick={() => {
                clearRuleDraft(tenantId);
                form.reset(initial);
                setRestored(false);
              }}
            >
              Discard the draft
            </Button>
          </div>
        ) : null}
        {saveError && Object.keys(fieldErrors(saveError)).length === 0 ? (
          <ErrorState message={errorMessage(saveError)} />
        ) : null}

        <Card>
          <CardHeader>
            <CardTitle>{ruleId ? `Rule ${ruleId}` : 'New rule'}</CardTitle>
            <CardDescription>
              A rule grants an exchange when every one of its conditions holds. Rules are tried in
              order; the first that matches decides.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-4">
            <Field
              id="rule-id"
              label="Id"
              hint="Lower-case letters, digits, - and _. Recorded with every decision."
              error={errors.id?.message}
            >
              <Input id="rule-id" aria-invalid={Boolean(errors.id)} {...form.register('id')} />
            </Field>
            <Field id="rule-description" label="Description" error={errors.description?.message}>
              <Textarea
                id="rule-description"
                className="font-sans text-sm"
                rows={2}
                aria-invalid={Boolean(errors.description)}
                {...form.register('description')}
              />
            </Field>
            <Controller
              control={control}
              name="disabled"
              render={({ field }) => (
                <CheckboxField
                  id="rule-disabled"
                  label="Disabled"
                  hint="A disabled rule is skipped; it stays in its place."
                  checked={Boolean(field.value)}
                  onChange={field.onChange}
                />
              )}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Who</CardTitle>
            <CardDescription>The clients that may exchange, and whose tokens.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-5">
            <Controller
              control={control}
              name="clients"
              render={({ field }) => (
                <ChoiceList
                  id="rule-clients"
                  legend="Clients"
                  hint="The authenticated client must be one of these."
                  error={messageOf(errors.clients)}
                  options={clientOptions}
                  value={field.value ?? []}
                  onChange={field.onChange}
                  customPlaceholder="Another client id"
                  unknownHint="not a client of this tenant"
                />
              )}
            />
            <Controller
              control={control}
              name="subjectIssuers"
              render={({ field }) => (
                <ChoiceList
                  id="rule-subject-issuers"
                  legend="Subject issuers"
                  hint="The subject token must come from one of these."
                  error={messageOf(errors.subjectIssuers)}
                  options={issuerOptions}
                  value={field.value ?? []}
                  onChange={field.onChange}
                  customPlaceholder="Another issuer URL"
                  unknownHint="not a trusted issuer: its tokens are refused"
                />
              )}
            />
            <Controller
              control={control}
              name="subjectTokenTypes"
              render={({ field }) => (
                <ChoiceList
                  id="rule-subject-token-types"
                  legend="Subject token types"
                  hint="Accepted subject_token_type values."
                  error={messageOf(errors.subjectTokenTypes)}
                  options={SUBJECT_TOKEN_TYPE_VALUES.map(typeOption)}
                  value={field.value ?? []}
                  onChange={field.onChange}
                />
              )}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>How</CardTitle>
            <CardDescription>
              Delegation names the actor in act; impersonation does not.
            </CardDescription>
          </CardHeader>
          <CardContent className="grid gap-5">
            <Controller
              control={control}
              name="mode"
              render={({ field }) => (
                <FieldGroup id="rule-mode" legend="Mode" error={errors.mode?.message}>
                  {(
                    [
                      ['delegation', 'Delegation: the issued token names the actor (act)'],
                      [
                        'impersonation',
                        'Impersonation: the issued token is the subject alone; no actor token',
                      ],
                    ] as const
                  ).map(([mode, label]) => (
                    <div key={mode} className="flex items-start gap-2">
                      <input
                        id={`rule-mode-${mode}`}
                        type="radio"
                        name={field.name}
                        className="mt-0.5 size-4 accent-primary"
                        checked={field.value === mode}
                        onChange={() => {
                          field.onChange(mode);
                          // Impersonation takes no actors; delegation starts with the client.
                          form.setValue('actors', mode === 'impersonation' ? [] : ['client'], {
                            shouldValidate: true,
                          });
                        }}
                      />
                      <Label htmlFor={`rule-mode-${mode}`} className="font-normal leading-5">
                        {label}
                      </Label>
                    </div>
                  ))}
                </FieldGroup>
              )}
            />
            {delegation ? (
              <Controller
                control={control}
                name="actors"
                render={({ field }) => (
                  <ActorsField
                    id="rule-actors"
                    error={errors.actors?.message ?? errors.actors?.root?.message}
                    entryErrors={itemMessages(errors.actors, field.value?.length ?? 0)}
                    value={field.value ?? []}
                    onChange={field.onChange}
                    issuerOptions={['self', ...trustedIssuers]}
                  />
                )}
              />
            ) : errors.actors?.message ? (
              <p role="alert" className="text-xs text-destructive">
                {errors.actors.message}
              </p>
            ) : null}
            <Controller
              control={control}
              name="maxChainDepth"
              render={({ field }) => (
                <Field
                  id="rule-max-chain-depth"
                  label="Maximum actor chain depth"
                  hint="Actors in the issued token's act chain, the new one included (0 to 5)."
                  error={errors.maxChainDepth?.message}
                >
                  <Input
                    id="rule-max-chain-depth"
                    type="number"
                    min={0}
                    max={5}
                    className="w-32"
                    aria-invalid={Boolean(errors.maxChainDepth)}
                    value={
                      Number.isNaN(field.value) || field.value === undefined ? '' : field.value
                    }
                    onChange={(e) =>
                      field.onChange(e.target.value === '' ? Number.NaN : Number(e.target.value))
                    }
                    onBlur={field.onBlur}
                  />
                </Field>
              )}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Targets</CardTitle>
            <CardDescription>The audience or resource values a request may name.</CardDescription>
          </CardHeader>
          <CardContent className="grid gap-5">
            <Controller
              control={control}
              name="audiences"
              render={({ field }) => (
                <StringList
                  id="rule-audiences"
                  legend="Audiences"
                  hint="Allowed exactly."
                  error={errors.audiences?.message}
                  itemErrors={itemMessages(errors.audiences, field.value?.length ?? 0)}
                  value={field.value ?? []}
                  onChange={field.onChange}
                  placeholder="https://orders.example"
                />
              )}
            />
            <Controller
              control={control}
              name="audiencePrefixes"
              render={({ field }) => (
                <StringList
                  id="rule-audience-prefixes"
                  legend="Audience prefixes"
                  hint='Allowed by prefix; must end with "/" or ":".'
                  error={errors.audiencePrefixes?.message}
                  itemErrors={itemMessages(errors.audiencePrefixes, field.value?.length ?? 0)}
                  value={field.value ?? []}
                  onChange={field.onChange}
                  placeholder="https://api.example/"
                />
              )}
            />
            <Controller
              control={control}
              name="defaultAudiences"
              render={({ field }) => (
                <StringList
                  id="rule-default-audiences"
                  legend="Default audiences"
                  hint="The issued token's audience when the request names none; each must be allowed above."
                  error={errors.defaultAudiences?.message}
                  itemErrors={itemMessages(errors.defaultAudiences, field.value?.length ?? 0)}
                  value={field.value ?? []}
                  onChange={field.onChange}
                  placeholder="https://orders.example"
                />
              )}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Scope</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-5">
            <Controller
              control={control}
              name="scopes"
              render={({ field }) => (
                <StringList
                  id="rule-scopes"
                  legend="Scopes"
                  hint="May be granted, further limited by the subject token's own scope."
                  error={errors.scopes?.message}
                  itemErrors={itemMessages(errors.scopes, field.value?.length ?? 0)}
                  value={field.value ?? []}
                  onChange={field.onChange}
                  placeholder="orders:read"
                />
              )}
            />
            <Controller
              control={control}
              name="scopeMode"
              render={({ field }) => (
                <FieldGroup
                  id="rule-scope-mode"
                  legend="Scope beyond the rule"
                  error={errors.scopeMode?.message}
                >
                  {(
                    [
                      ['narrow', 'Narrow: grant what is allowed and return the granted scope'],
                      ['reject', 'Reject: refuse the request with invalid_scope'],
                    ] as const
                  ).map(([mode, label]) => (
                    <div key={mode} className="flex items-start gap-2">
                      <input
                        id={`rule-scope-mode-${mode}`}
                        type="radio"
                        name={field.name}
                        className="mt-0.5 size-4 accent-primary"
                        checked={(field.value ?? 'narrow') === mode}
                        onChange={() => field.onChange(mode)}
                      />
                      <Label htmlFor={`rule-scope-mode-${mode}`} className="font-normal leading-5">
                        {label}
                      </Label>
                    </div>
                  ))}
                </FieldGroup>
              )}
            />
          </CardContent>
        </Card>

        <Card>
          <CardHeader>
            <CardTitle>Issued token</CardTitle>
          </CardHeader>
          <CardContent className="grid gap-5">
            <Controller
              control={control}
              name="requestedTokenTypes"
              render={({ field }) => (
                <ChoiceList
                  id="rule-requested-token-types"
                  legend="Token types it may issue"
                  hint="requested_token_type values (access_token when the request names none)."
                  error={messageOf(errors.requestedTokenTypes)}
                  options={ISSUABLE_TOKEN_TYPE_VALUES.map(typeOption)}
                  value={field.value ?? []}
                  onChange={field.onChange}
                />
              )}
            />
            <Controller
              control={control}
              name="maxTtlSeconds"
              render={({ field }) => (
                <Field
                  id="rule-max-ttl"
                  label="Maximum lifetime (seconds)"
                  hint="Empty: the tenant's token lifetime. At most 86400."
                  error={errors.maxTtlSeconds?.message}
                >
                  <Input
                    id="rule-max-ttl"
                    type="number"
                    min={1}
                    max={86_400}
                    className="w-40"
                    aria-invalid={Boolean(errors.maxTtlSeconds)}
                    value={
                      field.value === undefined || Number.isNaN(field.value) ? '' : field.value
                    }
                    onChange={(e) =>
                      field.onChange(e.target.value === '' ? undefined : Number(e.target.value))
                    }
                    onBlur={field.onBlur}
                  />
                </Field>
              )}
            />
            <Controller
              control={control}
              name="allowBeyondSubjectExpiry"
              render={({ field }) => (
                <CheckboxField
                  id="rule-beyond-expiry"
                  label="May outlive the subject token"
                  hint="Off: the issued token expires no later than the subject token."
                  checked={Boolean(field.value)}
                  onChange={field.onChange}
                />
              )}
            />
            <Controller
              control={control}
              name="carryClaims"
              render={({ field }) => (
                <StringList
                  id="rule-carry-claims"
                  legend="Carried claims"
                  hint="Subject token claims copied into the issued token (registered claims never are)."
                  error={errors.carryClaims?.message}
                  itemErrors={itemMessages(errors.carryClaims, field.value?.length ?? 0)}
                  value={field.value ?? []}
                  onChange={field.onChange}
                  placeholder="email"
                />
              )}
            />
          </CardContent>
        </Card>
      </div>

      <Card className="lg:sticky lg:top-4">
        <CardHeader>
          <CardTitle>In plain words</CardTitle>
          <CardDescription>Follows the form as you type.</CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div aria-live="polite" className="grid gap-2" data-testid="rule-summary">
            {preview.data ? (
              <>
                <p className="text-sm font-medium">{preview.data.headline}</p>
                <ul className="grid list-disc gap-1 pl-5 text-sm text-muted-foreground">
                  {preview.data.details.map((d) => (
                    <li key={d}>{d}</li>
                  ))}
                </ul>
                <RuleFindings findings={preview.data.findings} />
              </>
            ) : preview.isError ? (
              <ErrorState message={errorMessage(preview.error)} />
            ) : (
              <Loading label="Summarising…" />
            )}
          </div>
          {!canWrite ? (
            <p className="text-xs text-muted-foreground">
              Your role may read rules and simulate drafts, not save them.
            </p>
          ) : null}
          <div className="flex flex-wrap gap-2">
            {canWrite ? (
              <Button type="submit" disabled={saving}>
                {saving ? 'Saving…' : ruleId ? 'Save changes' : 'Create rule'}
              </Button>
            ) : null}
            <Button type="button" variant="outline" onClick={simulate}>
              <FlaskConical aria-hidden /> Simulate this draft
            </Button>
            <Button type="button" variant="ghost" asChild>
              <Link href={rulesUrl} onClick={() => clearRuleDraft(tenantId)}>
                Cancel
              </Link>
            </Button>
          </div>
        </CardContent>
      </Card>
    </form>
  );
}
