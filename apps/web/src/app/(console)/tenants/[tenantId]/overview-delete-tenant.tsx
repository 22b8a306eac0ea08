'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '~/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '~/components/ui/card';
import { Dialog, DialogClose, DialogContent, DialogTrigger } from '~/components/ui/dialog';
import { Field } from '~/components/ui/field';
import { Input } from '~/components/ui/input';
import { ErrorState } from '~/components/ui/states';
import { errorMessage, useTRPC } from '~/lib/trpc';

/** Owners only: deletes the tenant once its id has been typed again. */
export function DeleteTenantCard({ tenantId }: { tenantId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const remove = useMutation(
    trpc.tenant.delete.mutationOptions({
      onSuccess: async () => {
        queryClient.removeQueries({ queryKey: trpc.tenant.get.queryKey({ tenantId }) });
        await queryClient.invalidateQueries({ queryKey: trpc.tenant.list.queryKey() });
        setOpen(false);
        router.push('/tenants');
      },
    }),
  );
  const matches = typed === tenantId;
  return (
    <Card className="border-destructive/40">
      <CardHeader>
        <CardTitle>Delete tenant</CardTitle>
        <CardDescription>
          Deletes the tenant with its clients, trusted issuers, rules and signing keys. Tokens it
          issued stop verifying. Audit records stay.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <Dialog
          open={open}
          onOpenChange={(next) => {
            setOpen(next);
            if (!next) {
              setTyped('');
              remove.reset();
            }
          }}
        >
          <DialogTrigger asChild>
            <Button variant="destructive">Delete tenant…</Button>
          </DialogTrigger>
          <DialogContent
            title={`Delete tenant ${tenantId}?`}
            description="This cannot be undone. Type the tenant id to confirm."
          >
            <form
              className="grid gap-4"
              onSubmit={(e) => {
                e.preventDefault();
                if (matches) remove.mutate({ tenantId, confirmTenantId: typed });
              }}
            >
              {remove.isError ? <ErrorState message={errorMessage(remove.error)} /> : null}
              <Field id="confirm-tenant-id" label={`Tenant id (${tenantId})`}>
                <Input
                  id="confirm-tenant-id"
                  autoComplete="off"
                  value={typed}
                  onChange={(e) => setTyped(e.target.value)}
                />
              </Field>
              <div className="flex justify-end gap-2">
                <DialogClose asChild>
                  <Button type="button" variant="outline">
                    Cancel
                  </Button>
                </DialogClose>
                <Button type="submit" variant="destructive" disabled={!matches || remove.isPending}>
                  {remove.isPending ? 'Deleting…' : 'Delete tenant'}
                </Button>
              </div>
            </form>
          </DialogContent>
        </Dialog>
      </CardContent>
    </Card>
  );
}
