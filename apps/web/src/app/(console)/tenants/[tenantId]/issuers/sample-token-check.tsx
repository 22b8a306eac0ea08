'use client';

import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useFormContext } from 'react-hook-form';
import { Badge } from '~/components/ui/badge';
import { Button } from '~/components/ui/button';
import { Field } from '~/components/ui/field';
import { Textarea } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';
import type {
  TIssuerFormInput,
  TSampleTokenResult,
} from '~/server/trpc/routers/issuer/issuer.schema';

/** The inline JWKS text as an object, when it parses; the server checks it further. */
function inlineJwks(text: string): { keys: { kty: string }[] } | undefined {
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys)
      ? (value as { keys: { kty: string }[] })
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * "Check a sample token": the admin pastes a token this issuer really issued, and sees what it
 * carries — typ, alg, kid (among the keys?), aud, scope — and whether the settings in the dialog
 * would accept it as an access token. The JWKS does not say what typ or aud the issuer sends;
 * a token does. It is read, not verified or trusted, and never stored.
 */
export function SampleTokenCheck({
  tenantId,
  idPrefix: id,
}: {
  tenantId: string;
  idPrefix: string;
}) {
  const trpc = useTRPC();
  const form = useFormContext<TIssuerFormInput>();
  const [token, setToken] = useState('');
  const check = useMutation(trpc.issuer.checkSampleToken.mutationOptions());

  const run = () => {
    const v = form.getValues();
    check.mutate({
      tenantId,
      token,
      issuer: v.issuer.trim(),
      jwksUri: v.keySource === 'jwksUri' && v.jwksUri.trim() ? v.jwksUri.trim() : undefined,
      jwks: v.keySource === 'jwks' ? inlineJwks(v.jwks) : undefined,
      audiences: v.audiences ?? [],
      anyAudience: v.anyAudience,
      accessTokenTyp: v.accessTokenTyp,
      algorithms: v.algorithms,
    });
  };

  return (
    <section className="grid gap-2 rounded-md border p-3" aria-labelledby={`${id}-sample-title`}>
      <h3 id={`${id}-sample-title`} className="text-sm font-medium">
        Check a sample token
      </h3>
      <Field
        id={`${id}-sample`}
        label="Sample token from this issuer"
        hint="Paste an access token it issued: its typ, aud and scope show what it really sends. It is read, not verified, and not stored."
      >
        <Textarea
          id={`${id}-sample`}
          rows={3}
          spellCheck={false}
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
      </Field>
      <div>
        <Button
          type="button"
          variant="outline"
          onClick={run}
          disabled={check.isPending || token.trim() === ''}
        >
          {check.isPending ? 'Checking…' : 'Check sample token'}
        </Button>
      </div>
      {check.isError ? <ErrorState message={errorMessage(check.error)} /> : null}
      {check.data ? <SampleTokenReport report={check.data} /> : null}
    </section>
  );
}

function SampleTokenReport({ report }: { report: TSampleTokenResult }) {
  if (report.unreadable) return <ErrorState message={report.unreadable} />;
  const { header } = report;
  return (
    <div role="status" aria-label="Sample token check" className="grid gap-2 text-sm">
      <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 font-mono text-xs">
        <dt className="text-muted-foreground">typ</dt>
        <dd>{header.typ ?? '(none)'}</dd>
        <dt className="text-muted-foreground">alg</dt>
        <dd>{header.alg ?? '(none)'}</dd>
        <dt className="text-muted-foreground">kid</dt>
        <dd>
          {header.kid ?? '(none)'}
          {report.kidKnown === undefined
            ? null
            : report.kidKnown
              ? ' (among the keys)'
              : ' (not among the keys)'}
        </dd>
        <dt className="text-muted-foreground">aud</dt>
        <dd className="break-all">{report.aud.length > 0 ? report.aud.join(', ') : '(none)'}</dd>
        <dt className="text-muted-foreground">scope</dt>
        <dd>{report.hasScope ? 'present' : 'absent'}</dd>
      </dl>
      {report.keysError ? (
        <p className="text-xs text-muted-foreground">Keys not fetched: {report.keysError}</p>
      ) : null}
      <ul className="grid gap-1">
        {report.checks.map((c) => (
          <li key={c.id} className="flex items-start gap-2 text-xs">
            <Badge variant={c.ok ? 'secondary' : 'warning'}>{c.ok ? 'ok' : 'refused'}</Badge>
            <span>{c.message}</span>
          </li>
        ))}
      </ul>
      <p className="font-medium">
        {report.accepted
          ? 'These settings would accept it as an access token, if its signature verifies.'
          : 'These settings would refuse it as an access token.'}
      </p>
    </div>
  );
}
