import type { ComponentProps } from 'react';
import { cn } from '~/lib/utils';

/**
 * A table that scrolls sideways inside its own box when it is wider than the screen. The box is
 * positioned, so visually hidden labels (sr-only, absolutely placed) scroll with it rather than
 * widening the page.
 */
export function Table({ className, ...props }: ComponentProps<'table'>) {
  return (
    <div className="relative w-full overflow-x-auto">
      <table className={cn('w-full caption-bottom text-sm', className)} {...props} />
    </div>
  );
}
export const TableHeader = (p: ComponentProps<'thead'>) => (
  <thead {...p} className={cn('[&_tr]:border-b', p.className)} />
);
export const TableBody = (p: ComponentProps<'tbody'>) => (
  <tbody {...p} className={cn('[&_tr:last-child]:border-0', p.className)} />
);
export const TableRow = (p: ComponentProps<'tr'>) => (
  <tr {...p} className={cn('border-b transition-colors hover:bg-muted/50', p.className)} />
);
export const TableHead = (p: ComponentProps<'th'>) => (
  <th
    {...p}
    className={cn(
      'h-10 px-3 text-left align-middle font-medium text-muted-foreground',
      p.className,
    )}
  />
);
export const TableCell = (p: ComponentProps<'td'>) => (
  <td {...p} className={cn('px-3 py-2 align-middle', p.className)} />
);
