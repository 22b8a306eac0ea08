import { TriangleAlert } from 'lucide-react';

/** The tenant comes from the STS configuration file: console edits last until the next STS start. */
export function FileSourceNotice() {
  return (
    <div
      role="note"
      className="flex items-start gap-2 rounded-md border border-warning-border bg-warning-soft p-3 text-sm text-warning"
    >
      <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        This tenant is declared in the STS configuration file. Rule changes made here take effect
        within a second, but the STS puts the file's rules back when it next starts: make lasting
        changes in the file.
      </p>
    </div>
  );
}
