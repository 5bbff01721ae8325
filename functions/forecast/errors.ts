import { InputError } from '../errors.js';

/** Why a series cannot be forecast: a stable code a caller can branch on, beside the sentence. */
export type ForecastInputReason =
  | 'empty'
  | 'too_short'
  | 'not_finite'
  | 'bad_option'
  | 'bad_date'
  | 'duplicate_date'
  | 'irregular_dates';

/**
 * A series that cannot be forecast as given: empty, too short, with infinite values, duplicate or irregular
 * dates, or asked for an impossible horizon. It is an InputError (code `bad_input`), so the CLI reports it per
 * series and goes on with the others. The message says what is wrong and what to do.
 */
export class ForecastInputError extends InputError {
  readonly reason: ForecastInputReason;

  constructor(reason: ForecastInputReason, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.reason = reason;
  }
}
