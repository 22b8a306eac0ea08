/** Runs once when the console server starts (Next.js instrumentation hook). */
export async function register(): Promise<void> {
  const { isNodeRuntime } = await import('./env');
  if (!isNodeRuntime()) return;
  const { bootstrapAdmin } = await import('./server/bootstrap');
  await bootstrapAdmin();
}
