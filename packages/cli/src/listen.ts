import { UsageError } from './errors.js';

/** A `--port` value: 0-65535 (0 picks a free port). */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535)
    throw new UsageError(`--port takes a port number 0-65535, got "${text}"`);
  return port;
}

/** Resolves with the signal's name once SIGTERM or SIGINT (Ctrl-C) arrives. */
export function untilStopped(): Promise<string> {
  return new Promise((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
}
