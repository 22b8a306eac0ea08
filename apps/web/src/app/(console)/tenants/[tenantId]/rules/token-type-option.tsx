import type { ChoiceOption } from '~/components/form/choice-list';
import { TOKEN_TYPE_LABELS } from './rule-draft';

/** A token type URN as a choice: its short name, then the URN. */
export const tokenTypeOption = (v: string): ChoiceOption => ({
  value: v,
  label: (
    <>
      {TOKEN_TYPE_LABELS[v] ?? v}{' '}
      <span className="font-mono text-xs text-muted-foreground">{v}</span>
    </>
  ),
});
