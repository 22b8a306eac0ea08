import { ArrowRight, Bot, User } from 'lucide-react';

export interface ChainActor {
  sub: string;
  iss?: string;
}

/**
 * An actor chain drawn left to right, outermost (current) actor first, down to the subject
 * on whose behalf everyone acts (RFC 8693 §4.1). For a refused attempt, `refused` is who tried to
 * act, ahead of the subject token's own (earlier) chain. Text is rendered as text, never as HTML.
 */
export function ActorChain({
  actors,
  subject,
  refused,
}: {
  actors: ChainActor[];
  subject?: ChainActor;
  refused?: ChainActor;
}) {
  const nodes = [
    ...(refused ? [{ ...refused, role: 'Tried to act (refused)' }] : []),
    ...actors.map((a, i) => ({
      ...a,
      role: i === 0 && !refused ? 'Current actor' : `Prior actor ${refused ? i + 1 : i}`,
    })),
    ...(subject ? [{ ...subject, role: 'Subject' }] : []),
  ];
  if (nodes.length === 0)
    return (
      <p className="text-sm text-muted-foreground">No actors: the token names the subject alone.</p>
    );
  return (
    <ol aria-label="Actor chain" className="flex flex-wrap items-center gap-2">
      {nodes.map((node, i) => (
        <li key={`${node.role}-${node.sub}`} className="flex items-center gap-2">
          <div
            data-testid="actor-chain-node"
            className={
              node.role === 'Subject'
                ? 'rounded-md border border-success-border bg-success-soft px-3 py-2'
                : node === nodes[0] && refused
                  ? 'rounded-md border border-dashed border-danger-border bg-danger-soft px-3 py-2'
                  : 'rounded-md border border-info-border bg-info-soft px-3 py-2'
            }
          >
            <div className="flex items-center gap-1 text-xs text-muted-foreground">
              {node.role === 'Subject' ? (
                <User className="size-3" aria-hidden />
              ) : (
                <Bot className="size-3" aria-hidden />
              )}
              {node.role}
            </div>
            <div className="font-mono text-sm">{node.sub}</div>
            {node.iss ? (
              <div className="font-mono text-[11px] text-muted-foreground">{node.iss}</div>
            ) : null}
          </div>
          {i < nodes.length - 1 ? (
            <ArrowRight className="size-4 text-muted-foreground" aria-label="acts for" />
          ) : null}
        </li>
      ))}
    </ol>
  );
}
