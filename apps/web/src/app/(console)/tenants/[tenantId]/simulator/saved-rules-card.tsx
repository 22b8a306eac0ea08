import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';

/** The tenant's saved rules, in the order the STS tries them. */
export function SavedRulesCard({
  tokenEndpoint,
  rules,
}: {
  tokenEndpoint: string;
  rules: { id: string; disabled?: boolean }[];
}) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Saved rules</CardTitle>
        <CardDescription>
          The STS at <span className="break-all font-mono">{tokenEndpoint}</span> tries them in this
          order.
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
  );
}
