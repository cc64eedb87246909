/**
 * An error the database must throw: for a write, a refusal (it writes nothing of its
 * transaction); for a cursor, a position it cannot give.
 */
export class Refusal extends Error {
  constructor(
    readonly code:
      | 'already-exists'
      | 'not-found'
      | 'invalid-value'
      | 'invalid-position'
      | 'missing-dependency',
    message: string,
  ) {
    super(message);
  }
}
