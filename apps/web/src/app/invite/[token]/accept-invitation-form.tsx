'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation, useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useForm } from 'react-hook-form';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ErrorState, Loading } from '~/components/ui/states';
import { errorMessage, fieldErrors, useTRPC } from '~/lib/trpc';
import {
  INVITATION_UNUSABLE,
  MIN_PASSWORD_LENGTH,
  type TAcceptInvitation,
  ZAcceptInvitationSchema,
} from '~/server/trpc/routers/invitation/invitation.schema';

export function AcceptInvitationForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const invitation = useQuery({
    ...trpc.invitation.check.queryOptions({ token }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  const form = useForm<TAcceptInvitation>({
    resolver: zodResolver(ZAcceptInvitationSchema),
    defaultValues: { token, password: '', confirmPassword: '' },
  });
  const accept = useMutation(trpc.invitation.accept.mutationOptions());
  const { errors } = form.formState;
  const server = fieldErrors(accept.error);

  if (accept.isSuccess)
    return (
      <Card className="w-full max-w-sm">
        <CardHeader>
          <CardTitle>Your password is set</CardTitle>
          <CardDescription>
            Sign in as {accept.data.email} with the password you chose.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Button asChild className="w-full">
            <Link href={`/sign-in?email=${encodeURIComponent(accept.data.email)}`}>
              Go to sign-in
            </Link>
          </Button>
        </CardContent>
      </Card>
    );

  return (
    <Card className="w-full max-w-sm">
      <CardHeader>
        <CardTitle>Join the STS console</CardTitle>
        {invitation.data ? (
          <CardDescription>
            Choose a password for <span className="break-all">{invitation.data.email}</span>.
          </CardDescription>
        ) : null}
      </CardHeader>
      <CardContent className="grid gap-4">
        {invitation.isPending ? <Loading label="Checking the link…" /> : null}
        {invitation.isError ? <ErrorState message={errorMessage(invitation.error)} /> : null}
        {invitation.data === null ? <ErrorState message={INVITATION_UNUSABLE} /> : null}
        {invitation.data ? (
          <form
            className="grid gap-4"
            noValidate
            onSubmit={form.handleSubmit((values) => accept.mutate(values))}
          >
            {accept.isError && !server.password ? (
              <ErrorState message={errorMessage(accept.error)} />
            ) : null}
            <input
              type="email"
              name="email"
              autoComplete="username"
              value={invitation.data.email}
              readOnly
              hidden
            />
            <Field
              id="invite-password"
              label="Password"
              hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
              error={errors.password?.message ?? server.password?.[0]}
            >
              <Input
                id="invite-password"
                type="password"
                autoComplete="new-password"
                aria-invalid={Boolean(errors.password ?? server.password)}
                {...form.register('password')}
              />
            </Field>
            <Field
              id="invite-confirm"
              label="Confirm password"
              error={errors.confirmPassword?.message ?? server.confirmPassword?.[0]}
            >
              <Input
                id="invite-confirm"
                type="password"
                autoComplete="new-password"
                aria-invalid={Boolean(errors.confirmPassword ?? server.confirmPassword)}
                {...form.register('confirmPassword')}
              />
            </Field>
            <Button type="submit" disabled={accept.isPending}>
              {accept.isPending ? 'Saving…' : 'Set password'}
            </Button>
          </form>
        ) : null}
      </CardContent>
    </Card>
  );
}
