/** Why a tenant's page shows no edit controls: the file that manages it, or the admin's role. */
export const readOnlyNote = (fileManaged: boolean) =>
  fileManaged
    ? ' Read-only: the configuration file manages this tenant.'
    : ' Read-only: your role cannot change this tenant.';
