'use client';

import { AlertDialog as A } from 'radix-ui';
import type { ComponentProps, ReactNode } from 'react';
import { cn } from '~/lib/utils';
import { buttonVariants } from './button';

/**
 * A question that interrupts (role `alertdialog`): it closes only through one of its buttons or
 * Escape (which answers Cancel), never by a click outside.
 */
export const AlertDialog = A.Root;

export function AlertDialogContent({
  className,
  title,
  description,
  cancelLabel,
  actionLabel,
  onAction,
  destructive = false,
  ...props
}: ComponentProps<typeof A.Content> & {
  title: string;
  description: ReactNode;
  cancelLabel: string;
  actionLabel: string;
  onAction: () => void;
  destructive?: boolean;
}) {
  return (
    <A.Portal>
      <A.Overlay className="fixed inset-0 z-50 bg-black/50" />
      <A.Content
        className={cn(
          'fixed left-1/2 top-1/2 z-50 grid w-[calc(100%-2rem)] max-w-md -translate-x-1/2 -translate-y-1/2 gap-4 rounded-lg border bg-background p-6 shadow-lg',
          className,
        )}
        {...props}
      >
        <div className="grid gap-1">
          <A.Title className="text-lg font-semibold">{title}</A.Title>
          <A.Description className="text-sm text-muted-foreground">{description}</A.Description>
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <A.Cancel className={buttonVariants({ variant: 'outline' })}>{cancelLabel}</A.Cancel>
          <A.Action
            className={buttonVariants({ variant: destructive ? 'destructive' : 'default' })}
            onClick={onAction}
          >
            {actionLabel}
          </A.Action>
        </div>
      </A.Content>
    </A.Portal>
  );
}
