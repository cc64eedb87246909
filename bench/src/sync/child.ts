// Child processes for the sync benchmarks: started with an IPC channel, asked questions by id.
import { type ChildProcess, fork } from 'node:child_process';
import { within } from './common.js';

export interface ChildMessage {
  readonly type: string;
  readonly id?: number;
  readonly [key: string]: unknown;
}

/** A Node child process running one of this folder's entry points. */
export class Child {
  private nextId = 1;
  private readonly waiting = new Map<number, (message: ChildMessage) => void>();
  private readonly listeners = new Set<(message: ChildMessage) => void>();
  private exited: Promise<number | null>;

  private constructor(readonly process: ChildProcess) {
    process.on('message', (message: ChildMessage) => {
      if (message.id !== undefined) {
        const reply = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        reply?.(message);
      }
      for (const listener of [...this.listeners]) listener(message);
    });
    this.exited = new Promise((resolve) => process.once('exit', (code) => resolve(code)));
  }

  /**
   * Starts `entry` (a file of this folder's build, e.g. 'server-child.js') with `args`.
   * `execArgv` adds Node flags (e.g. --cpu-prof).
   */
  static start(entry: string, args: readonly string[], execArgv: readonly string[] = []): Child {
    const file = new URL(entry, import.meta.url);
    const child = fork(file, [...args], {
      execArgv: [...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child(child);
  }

  /** Resolves with the first message of `type` from now on. */
  next(type: string, ms: number): Promise<ChildMessage> {
    const got = new Promise<ChildMessage>((resolve, reject) => {
      const listener = (message: ChildMessage) => {
        if (message.type === 'error') {
          this.listeners.delete(listener);
          reject(new Error(`child process: ${String(message.message)}`));
        } else if (message.type === type) {
          this.listeners.delete(listener);
          resolve(message);
        }
      };
      this.listeners.add(listener);
      void this.exited.then((code) => {
        if (this.listeners.delete(listener))
          reject(new Error(`the child process exited (${code}) before sending "${type}"`));
      });
    });
    return within(got, ms, `waiting for "${type}" from a child process`);
  }

  /** Every message (for progress lines). */
  onMessage(listener: (message: ChildMessage) => void): void {
    this.listeners.add(listener);
  }

  /** Sends a request and resolves with the reply carrying the same id. */
  ask(message: { type: string; [key: string]: unknown }, ms = 60_000): Promise<ChildMessage> {
    const id = this.nextId++;
    const reply = new Promise<ChildMessage>((resolve) => this.waiting.set(id, resolve));
    this.process.send({ ...message, id });
    return within(reply, ms, `the child process's answer to "${message.type}"`);
  }

  send(message: { type: string; [key: string]: unknown }): void {
    this.process.send(message);
  }

  /** Asks the child to stop, and kills it if it has not exited within `ms`. */
  async stop(ms = 10_000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    if (this.process.connected) this.process.send({ type: 'stop' });
    const timer = setTimeout(() => this.process.kill('SIGKILL'), ms);
    await this.exited;
    clearTimeout(timer);
  }
}

/** In a child: sends a message to the parent (`sent` is called once it is handed over). */
export function toParent(
  message: { type: string; [key: string]: unknown },
  sent?: () => void,
): void {
  if (process.send) process.send(message, undefined, undefined, () => sent?.());
  else sent?.();
}
