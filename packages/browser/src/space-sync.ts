import type { Value } from '@weft/core';
import type { BrowserSyncStatus } from './control.js';

/** A space's sync as an app sees it, in any tab: status and presence. */
export interface SpaceSync {
  /** The hub's connection to the server ('local': no server configured). */
  readonly status: BrowserSyncStatus;
  /**
   * Sets this tab's presence (name, cursor, selection…): shown at once to the other tabs of
   * this profile and to the space's other clients, and sent again after reconnects. Never
   * stored. null clears it.
   */
  setPresence(state: Value): void;
  /** Everyone else's presence, by client id: other clients of the server, and other tabs. */
  presence(): ReadonlyMap<string, Value>;
  /** Calls `listener` whenever the status or someone's presence changes. */
  subscribe(listener: () => void): () => void;
  /** The same, under the name a presence source has for it (`<WeftProvider presence={sync}>`). */
  subscribePresence(listener: () => void): () => void;
}

/** @internal The state behind a SpaceSync, fed by whichever link the tab has at the moment. */
export class SpaceSyncState implements SpaceSync {
  private current: BrowserSyncStatus = 'connecting';
  private own: Value = null;
  private readonly others = new Map<string, Value>();
  private readonly listeners = new Set<() => void>();
  /** Where this tab's presence goes now (a session to the hub, or the hub itself). */
  private sink: ((state: Value) => void) | undefined;

  get status(): BrowserSyncStatus {
    return this.current;
  }

  setPresence(state: Value): void {
    this.own = state;
    this.sink?.(state);
  }

  presence(): ReadonlyMap<string, Value> {
    return this.others;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  subscribePresence(listener: () => void): () => void {
    return this.subscribe(listener);
  }

  /** A new link: presence goes there from now on (and our current presence at once). */
  link(sink: ((state: Value) => void) | undefined): void {
    this.sink = sink;
    if (sink && this.own !== null) sink(this.own);
  }

  /** The link changed: everyone else's presence will be sent again by the new hub. */
  forgetOthers(): void {
    if (this.others.size === 0) return;
    this.others.clear();
    this.changed();
  }

  setOther(client: string, state: Value): void {
    if (state === null) {
      if (!this.others.delete(client)) return;
    } else this.others.set(client, state);
    this.changed();
  }

  setStatus(status: BrowserSyncStatus): void {
    if (status === this.current) return;
    this.current = status;
    this.changed();
  }

  private changed(): void {
    for (const listener of [...this.listeners]) listener();
  }
}
