import type { SyncSession, Value } from '@weft/core';

interface Entry {
  state: Value;
  /** The session the client last spoke through; undefined once it left. */
  session: SyncSession | undefined;
  expiry: ReturnType<typeof setTimeout> | undefined;
  /** When its session ended (ms since the epoch); its state goes `timeoutMs` later. */
  leftAt: number | undefined;
}

/** A client's presence as the inspector shows it. */
export interface PresenceEntry {
  readonly client: string;
  readonly state: Value;
  /** False once its session ended: the state stays until `expiresAt` unless it comes back. */
  readonly connected: boolean;
  readonly expiresAt: number | undefined;
}

/**
 * Presence per space: each client's latest ephemeral state, relayed at once to the space's
 * other sessions, never stored. When a client's session ends, its state stays for
 * `timeoutMs` (it may be reconnecting), then its removal (state null) is relayed.
 */
export class PresenceHub {
  private readonly states = new Map<string, Map<string, Entry>>();
  private readonly members = new Map<string, Set<SyncSession>>();

  constructor(private readonly timeoutMs: number) {}

  /** A session of `client` joined a space: it hears everyone else present. */
  join(space: string, client: string, session: SyncSession): void {
    const members = this.members.get(space) ?? new Set();
    this.members.set(space, members);
    members.add(session);
    for (const [other, entry] of this.states.get(space) ?? []) {
      if (other !== client) session.sendPresence(other, entry.state);
    }
  }

  /** `client` (through `session`) set its state; null means it is gone. */
  update(space: string, client: string, state: Value, session: SyncSession): void {
    const states = this.states.get(space) ?? new Map<string, Entry>();
    this.states.set(space, states);
    const entry = states.get(client);
    if (entry?.expiry) clearTimeout(entry.expiry);
    if (state === null) states.delete(client);
    else states.set(client, { state, session, expiry: undefined, leftAt: undefined });
    this.broadcast(space, client, state, session);
  }

  /** A session ended: its client's presence expires after the timeout unless it comes back. */
  leave(space: string, client: string, session: SyncSession): void {
    this.members.get(space)?.delete(session);
    const entry = this.states.get(space)?.get(client);
    if (!entry || entry.session !== session) return;
    entry.session = undefined;
    entry.leftAt = Date.now();
    entry.expiry = setTimeout(() => {
      if (this.states.get(space)?.get(client) !== entry) return;
      this.states.get(space)?.delete(client);
      this.broadcast(space, client, null, undefined);
    }, this.timeoutMs);
  }

  /** The presence states in a space now, by client id. */
  list(space: string): PresenceEntry[] {
    return [...(this.states.get(space) ?? [])].map(([client, e]) => ({
      client,
      state: e.state,
      connected: e.session !== undefined,
      expiresAt: e.leftAt === undefined ? undefined : e.leftAt + this.timeoutMs,
    }));
  }

  /** Stops every pending expiry (the server is closing). */
  clear(): void {
    for (const states of this.states.values())
      for (const e of states.values()) clearTimeout(e.expiry);
    this.states.clear();
    this.members.clear();
  }

  private broadcast(
    space: string,
    client: string,
    state: Value,
    from: SyncSession | undefined,
  ): void {
    for (const member of this.members.get(space) ?? [])
      if (member !== from) member.sendPresence(client, state);
  }
}
