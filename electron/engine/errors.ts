import type { Bilingual } from '../../shared/messages';
import { bilingual } from '../../shared/messages';

/**
 * A failure the user can act on: bad input, a missing step, a database from a newer app.
 * Its message is shown as-is (both languages, one sentence); anything else is a bug and shows a stack only with --debug.
 */
export class UserError extends Error {
  constructor(
    readonly bilingualMessage: Bilingual,
    /** `refused`: the input was refused and nothing was written; `failed`: the operation cannot be done as things are. */
    readonly kind: 'refused' | 'failed' = 'refused',
    readonly details: unknown = undefined,
  ) {
    super(bilingual(bilingualMessage));
    this.name = 'UserError';
  }
}
