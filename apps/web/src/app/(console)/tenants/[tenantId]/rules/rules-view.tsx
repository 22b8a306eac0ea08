'use client';

import type { RuleOverview } from '@sts/console';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ArrowDown, ArrowUp, FlaskConical, Pencil, Plus } from 'lucide-react';
import Link from 'next/link';
import { ListNoMatches } from '~/components/list/list-no-matches';
import { ListPagination } from '~/components/list/list-pagination';
import { ListSearch } from '~/components/list/list-search';
import { type ListViewOptions, useListView } from '~/components/list/use-list-view';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Empty, ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import { DeleteRuleButton } from './delete-rule-button';
import { RuleFindings } from './rule-findings';

/** Searchable by what a rule shows; never sorted: the order is the order of evaluation. */
const LIST: ListViewOptions<RuleOverview['rules'][number]> = {
  searchText: ({ rule, headline, details }) => [
    rule.id,
    rule.description,
    rule.mode,
    headline,
    ...details,
  ],
};

/** The tenant's rules in evaluation order, with their summaries and the analysis warnings. */
export function RulesView({ tenantId, canWrite }: { tenantId: string; canWrite: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.rule.list.queryOptions({ tenantId }));
  const view = useListView(list.data?.rules, LIST);
  // Moving a rule past rows the search hides would be guesswork: reorder the whole list only.
  const searching = view.query.trim() !== '';
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.rule.list.queryKey() });
  const reorder = useMutation(trpc.rule.reorder.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.rule.delete.mutationOptions({ onSuccess: invalidate }));
  const base = `/tenants/${tenantId}`;

  const move = (index: number, by: -1 | 1) => {
    const ids = list.data?.rules.map((r) => r.rule.id) ?? [];
    const other = index + by;
    if (other < 0 || other >= ids.length) return;
    [ids[index], ids[other]] = [ids[other] as string, ids[index] as string];
    reorder.mutate({ tenantId, ruleIds: ids });
  };

  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader className="flex-row flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1">
            <CardTitle>Delegation rules</CardTitle>
            <CardDescription>
              Tried in this order: the first rule whose every condition holds grants the exchange.
              When none does, the exchange is refused.
            </CardDescription>
          </div>
          <div className="flex gap-2">
            <Button variant="outline" asChild>
              <Link href={`${base}/simulator`}>
                <FlaskConical aria-hidden /> Simulator
              </Link>
            </Button>
            {canWrite ? (
              <Button asChild>
                <Link href={`${base}/rules/new`}>
                  <Plus aria-hidden /> New rule
                </Link>
              </Button>
            ) : null}
          </div>
        </CardHeader>
        <CardContent className="grid gap-3">
          {list.isPending ? <Loading label="Loading the rules…" /> : null}
          {list.isError ? <ErrorState message={errorMessage(list.error)} /> : null}
          {reorder.isError ? <ErrorState message={errorMessage(reorder.error)} /> : null}
          {remove.isError ? <ErrorState message={errorMessage(remove.error)} /> : null}
          {list.data && list.data.rules.length === 0 ? (
            <Empty title="No rules yet">
              Without a rule every exchange is refused.
              {canWrite ? (
                <>
                  {' '}
                  <Link className="text-primary underline" href={`${base}/rules/new`}>
                    Create the first one
                  </Link>
                  .
                </>
              ) : null}
            </Empty>
          ) : null}
          {list.data && list.data.rules.length > 0 ? (
            <>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <ListSearch
                  view={view}
                  label="Search rules"
                  placeholder="Search by id, client, issuer or audience"
                />
                <p className="text-xs text-muted-foreground" data-testid="rules-order-note">
                  Not sortable: rules are listed in the order the STS tries them.
                  {canWrite && searching ? ' Clear the search to move them.' : null}
                </p>
              </div>
              <ListNoMatches view={view} noun="rules" />
              <ol className="grid gap-3" aria-label="Rules in evaluation order">
                {view.items.map(({ rule, position: index, headline, details }) => {
                  const findings = list.data.findings.filter((f) => f.ruleId === rule.id);
                  const count = list.data.rules.length;
                  return (
                    <li
                      key={rule.id}
                      className={
                        rule.disabled
                          ? 'rounded-md border border-dashed p-4 opacity-75'
                          : 'rounded-md border p-4'
                      }
                      data-testid="rule-item"
                    >
                      <div className="flex flex-wrap items-start justify-between gap-2">
                        <div className="flex flex-wrap items-center gap-2">
                          <span className="text-sm text-muted-foreground">{index + 1}.</span>
                          <Link
                            href={`${base}/rules/${rule.id}`}
                            className="font-mono font-medium text-primary hover:underline"
                          >
                            {rule.id}
                          </Link>
                          <Badge variant="outline">{rule.mode}</Badge>
                          {rule.disabled ? <Badge variant="secondary">disabled</Badge> : null}
                          {findings.map((f) => (
                            <Badge
                              key={`${f.kind}-${f.otherRuleId ?? 'self'}`}
                              variant={
                                f.kind === 'unreachable'
                                  ? 'danger'
                                  : f.kind === 'conflict'
                                    ? 'warning'
                                    : 'secondary'
                              }
                            >
                              {f.kind}
                            </Badge>
                          ))}
                        </div>
                        <div className="flex flex-wrap gap-1">
                          {canWrite ? (
                            <>
                              <Button
                                variant="ghost"
                                size="icon"
                                aria-label={`Move rule ${rule.id} up`}
                                disabled={index === 0 || reorder.isPending || searching}
                                onClick={() => move(index, -1)}
                              >
                                <ArrowUp aria-hidden />
                              </Button>
                              <Button
                                variant="ghost"
                                size="icon"
                                aria-label={`Move rule ${rule.id} down`}
                                disabled={index === count - 1 || reorder.isPending || searching}
                                onClick={() => move(index, 1)}
                              >
                                <ArrowDown aria-hidden />
                              </Button>
                            </>
                          ) : null}
                          <Button variant="ghost" size="sm" asChild>
                            <Link
                              href={`${base}/rules/${rule.id}`}
                              aria-label={`${canWrite ? 'Edit' : 'Open'} rule ${rule.id}`}
                            >
                              <Pencil aria-hidden /> {canWrite ? 'Edit' : 'Open'}
                            </Link>
                          </Button>
                          {canWrite ? (
                            <DeleteRuleButton
                              ruleId={rule.id}
                              onDelete={() => remove.mutateAsync({ tenantId, ruleId: rule.id })}
                            />
                          ) : null}
                        </div>
                      </div>
                      {rule.description ? (
                        <p className="mt-1 text-sm text-muted-foreground">{rule.description}</p>
                      ) : null}
                      <p className="mt-2 text-sm">{headline}</p>
                      <details className="mt-1 text-sm">
                        <summary className="cursor-pointer text-muted-foreground hover:text-foreground">
                          All conditions
                        </summary>
                        <ul className="mt-1 grid list-disc gap-1 pl-5 text-muted-foreground">
                          {details.map((d) => (
                            <li key={d}>{d}</li>
                          ))}
                        </ul>
                      </details>
                      {findings.length > 0 ? (
                        <div className="mt-2">
                          <RuleFindings findings={findings} />
                        </div>
                      ) : null}
                    </li>
                  );
                })}
              </ol>
              <ListPagination view={view} noun="rules" />
            </>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
