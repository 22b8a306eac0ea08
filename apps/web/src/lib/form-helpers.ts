import { useEffect, useState } from 'react';

/** The first error message anywhere in a (nested) react-hook-form error. */
export function messageOf(error: unknown): string | undefined {
  if (!error || typeof error !== 'object') return undefined;
  const { message } = error as { message?: unknown };
  if (typeof message === 'string' && message) return message;
  for (const [key, value] of Object.entries(error)) {
    // `ref` is the DOM element the error belongs to.
    if (key === 'ref' || key === 'types') continue;
    const nested = messageOf(value);
    if (nested) return nested;
  }
  return undefined;
}

/** Errors of a list field's items, by index. */
export const itemMessages = (error: unknown, length: number) =>
  Array.from({ length }, (_, i) => messageOf((error as Record<number, unknown> | undefined)?.[i]));

/** The value after `ms` without a change: the live summary follows typing without a call per key. */
export function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  const key = JSON.stringify(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the serialised value is the dependency
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return debounced;
}
