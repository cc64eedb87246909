import type { ServerResponse } from 'node:http';

/** An answer other than 200: its status, a stable code and a message saying what to do. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * JSON for the inspector's API: bytes (Uint8Array values, which JSON cannot hold) become
 * `{ "$base64": "…" }`, as in the CLI's --json output.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v instanceof Uint8Array ? { $base64: Buffer.from(v).toString('base64') } : v,
  );
}

export function replyJson(res: ServerResponse, status: number, value: unknown, head = false): void {
  const body = toJson(value);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // Live data: never from a cache.
  res.setHeader('cache-control', 'no-store');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(head ? undefined : body);
}

export function replyError(res: ServerResponse, error: ApiError, head = false): void {
  replyJson(res, error.status, { error: { code: error.code, message: error.message } }, head);
}
