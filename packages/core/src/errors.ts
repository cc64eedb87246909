/**
 * Every error Weft throws on purpose is a WeftError with a stable `code`, so callers can branch
 * on it and it can cross the wire (`toJSON` / `fromJSON`).
 */
export type WeftErrorCode =
  | 'decode' // bytes from outside are not a valid encoding
  | 'invalid-value' // a value that cannot be stored (undefined, a function, a cycle…)
  | 'clock-drift' // a remote clock is further ahead than the allowed drift
  | 'bad-hash' // a change's hash does not match its content
  | 'seq-gap' // a change skips its actor's previous change; the gap can never fill
  | 'equivocation' // an actor reused a seq with different content
  | 'invalid-change'; // a change breaks a structural rule (empty run, bad deps…)

export class WeftError extends Error {
  override readonly name: string = 'WeftError';
  constructor(
    readonly code: WeftErrorCode,
    message: string,
  ) {
    super(message);
  }

  toJSON(): { name: string; code: WeftErrorCode; message: string } {
    return { name: this.name, code: this.code, message: this.message };
  }

  static fromJSON(json: { code: WeftErrorCode; message: string }): WeftError {
    return new WeftError(json.code, json.message);
  }
}

/** Bytes that are not a valid Weft encoding. Decoders throw only this. */
export class DecodeError extends WeftError {
  override readonly name = 'DecodeError';
  constructor(
    message: string,
    readonly offset = -1,
  ) {
    super('decode', offset >= 0 ? `${message} (at byte ${offset})` : message);
  }
}

export class InvalidValueError extends WeftError {
  override readonly name = 'InvalidValueError';
  constructor(message: string) {
    super('invalid-value', message);
  }
}

export class ClockDriftError extends WeftError {
  override readonly name = 'ClockDriftError';
  constructor(message: string) {
    super('clock-drift', message);
  }
}

export type ChangeRejection = 'bad-hash' | 'seq-gap' | 'equivocation' | 'invalid-change';

/** A change the log refused. The log is exactly as it was before the call. */
export class ChangeRejectedError extends WeftError {
  override readonly name = 'ChangeRejectedError';
  constructor(code: ChangeRejection, message: string) {
    super(code, message);
  }
}

/** An internal invariant broke: a bug in Weft, never the caller's input. */
export function assert(condition: unknown, message = 'assertion failed'): asserts condition {
  if (!condition) throw new Error(`Weft internal error: ${message}`);
}

export function unexpectedCase(value: never): never {
  throw new Error(`Weft internal error: unexpected case ${String(value)}`);
}
