import { formatCount } from './format';

/** How many errors a preview lists before "…and N more" (the file may have thousands). */
export const ERRORS_SHOWN = 50;

export interface RowError {
  /** 1-based data row; 0 means the file as a whole (e.g. a missing column). */
  row: number;
  column?: string | null;
  reason: string;
}

/** The rows an import refused and why, as a table read out as an alert. */
export function RowErrors({ errors, label, heading }: { errors: readonly RowError[]; label: string; heading?: string }) {
  return (
    <div role="alert">
      {heading && <h3>{heading}</h3>}
      <div class="table-wrap">
        <table aria-label={label}>
          <thead>
            <tr>
              <th scope="col">Row</th>
              <th scope="col">Column</th>
              <th scope="col">Problem</th>
            </tr>
          </thead>
          <tbody>
            {errors.slice(0, ERRORS_SHOWN).map((e, i) => (
              <tr key={i}>
                <td>{e.row === 0 ? 'File' : e.row}</td>
                <td>{e.column ?? '—'}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {errors.length > ERRORS_SHOWN && <p class="muted">…and {formatCount(errors.length - ERRORS_SHOWN)} more.</p>}
    </div>
  );
}
