import { Label } from '~/components/ui/label';
import { FieldGroup } from './field-group';

/** One radio button per option (`<id>-<value>`), labelled, in a fieldset with legend and error. */
export function RadioList<T extends string>({
  id,
  name,
  legend,
  error,
  options,
  value,
  onChange,
}: {
  id: string;
  name: string;
  legend: string;
  error?: string;
  options: readonly (readonly [value: T, label: string])[];
  value: T | undefined;
  onChange: (next: T) => void;
}) {
  return (
    <FieldGroup id={id} legend={legend} error={error}>
      {options.map(([option, label]) => (
        <div key={option} className="flex items-start gap-2">
          <input
            id={`${id}-${option}`}
            type="radio"
            name={name}
            className="mt-0.5 size-4 accent-primary"
            checked={value === option}
            onChange={() => onChange(option)}
          />
          <Label htmlFor={`${id}-${option}`} className="font-normal leading-5">
            {label}
          </Label>
        </div>
      ))}
    </FieldGroup>
  );
}
