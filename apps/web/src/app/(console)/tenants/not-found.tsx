import Link from 'next/link';

/** Any /tenants/<id>/… page of a tenant that does not exist or that the admin may not see. */
export default function TenantNotFound() {
  return (
    <div className="grid justify-items-start gap-3 py-10" data-testid="tenant-not-found">
      <h1 className="text-xl font-semibold">No such tenant</h1>
      <p className="text-sm text-muted-foreground">
        This tenant does not exist, or your role does not let you see it. Check the address, or pick
        a tenant from the list.
      </p>
      <Link href="/tenants" className="text-sm text-primary underline">
        All tenants
      </Link>
    </div>
  );
}
