/** One choice of a range picker: its id (stored, in the URL) and its label on the button. */
export interface RangeChoice {
  id: string;
  label: string;
}

/** Buttons in a row, one pressed: the span a chart covers. Groups are labelled ("Live", "History"). */
export function RangePicker({
  groups,
  value,
  onChange,
  label = 'Time range',
}: {
  groups: { label: string; choices: readonly RangeChoice[] }[];
  value: string;
  onChange: (id: string) => void;
  label?: string;
}) {
  return (
    <div className="range-picker" role="group" aria-label={label}>
      {groups.map((group) => (
        <div key={group.label} role="group" aria-label={group.label} className="range-group">
          {groups.length > 1 && (
            <span className="segmented-label" aria-hidden>
              {group.label}
            </span>
          )}{' '}
          <span className="segmented">
            {group.choices.map((choice) => (
              <button
                key={choice.id}
                type="button"
                aria-pressed={value === choice.id}
                className="btn btn-small"
                onClick={() => onChange(choice.id)}
              >
                {choice.label}
              </button>
            ))}
          </span>
        </div>
      ))}
    </div>
  );
}
