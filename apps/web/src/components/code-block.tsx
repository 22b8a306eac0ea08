/** A value as indented JSON, for CodeBlock. */
export const json = (value: unknown) => JSON.stringify(value, null, 2);

/** Preformatted text (JSON, a token, a command) in a labelled, scrollable box. */
export function CodeBlock({ children, label }: { children: string; label: string }) {
  return (
    <section aria-label={label}>
      <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md border bg-muted/40 p-3 font-mono text-xs">
        {children}
      </pre>
    </section>
  );
}
