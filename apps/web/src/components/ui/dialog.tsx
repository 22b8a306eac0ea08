'use client';

import { Dialog as D } from 'radix-ui';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '~/lib/utils';

export const Dialog = D.Root;
export const DialogTrigger = D.Trigger;
export const DialogClose = D.Close;

/**
 * When a dialog closes, focus returns to what opened it. When that is gone (the row a delete
 * removed, a dialog opened by another that closed), it goes to the page's main region rather
 * than being lost on the document body, where a keyboard or screen reader user would start over.
 */
function keepFocusOnPage() {
  setTimeout(() => {
    if (document.activeElement && document.activeElement !== document.body) return;
    document.getElementById('main')?.focus();
  });
}

export function DialogContent({
  className,
  title,
  description,
  children,
  onCloseAutoFocus,
  ...props
}: ComponentProps<typeof D.Content> & { title: string; description?: ReactNode }) {
  return (
    <D.Portal>
      <D.Overlay className="fixed inset-0 z-50 bg-black/50" />
      <D.Content
        className={cn(
          'fixed left-1/2 top-1/2 z-50 grid max-h-[90vh] w-[calc(100%-1rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 gap-4 overflow-y-auto rounded-lg border bg-background p-4 shadow-lg sm:p-6',
          className,
        )}
        onCloseAutoFocus={(event) => {
          onCloseAutoFocus?.(event);
          keepFocusOnPage();
        }}
        {...props}
      >
        <div className="grid gap-1">
          <D.Title className="text-lg font-semibold">{title}</D.Title>
          {description ? (
            <D.Description className="text-sm text-muted-foreground">{description}</D.Description>
          ) : (
            <D.Description className="sr-only">{title}</D.Description>
          )}
        </div>
        {children}
      </D.Content>
    </D.Portal>
  );
}
