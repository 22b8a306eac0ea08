'use client';

import { Plus } from 'lucide-react';
import { type KeyboardEvent, useState } from 'react';
import { Button } from '~/components/ui/button';
import { Input } from '~/components/ui/input';

/** A text box and an Add button (Enter adds too); the value is trimmed, empty is ignored. */
export function AddValue({
  id,
  label,
  placeholder,
  onAdd,
}: {
  id: string;
  label: string;
  placeholder?: string;
  onAdd: (value: string) => void;
}) {
  const [text, setText] = useState('');
  const add = () => {
    const v = text.trim();
    if (v) onAdd(v);
    setText('');
  };
  return (
    <div className="flex gap-2">
      <Input
        id={id}
        aria-label={label}
        value={text}
        placeholder={placeholder}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            add();
          }
        }}
      />
      <Button type="button" variant="outline" onClick={add} disabled={!text.trim()}>
        <Plus aria-hidden /> Add
      </Button>
    </div>
  );
}
