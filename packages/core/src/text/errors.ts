import { WeftError } from '../errors.js';

/**
 * A text or list position that is out of range, or (text) falls between the two halves of a
 * surrogate pair: insert and delete at whole code points only.
 */
export class InvalidPositionError extends WeftError {
  override readonly name = 'InvalidPositionError';
  constructor(message: string) {
    super('invalid-position', message);
  }
}

/**
 * A text or list op names ids this replica does not have: an origin, a deleted range, an
 * anchor, or a run that skips part of its actor's earlier runs. Ops must be applied in causal
 * order (the change log guarantees it); the op changed nothing.
 */
export class MissingDependencyError extends WeftError {
  override readonly name = 'MissingDependencyError';
  constructor(message: string) {
    super('missing-dependency', message);
  }
}

/**
 * A text or list insert whose origins are out of order: its right origin is not after its left
 * one in the sequence. No correct writer makes one (the origins were neighbours when it was
 * made, and units never move), so every replica refuses it alike; the op changed nothing.
 */
export class InvalidOriginsError extends WeftError {
  override readonly name = 'InvalidOriginsError';
  constructor(message: string) {
    super('invalid-origins', message);
  }
}
