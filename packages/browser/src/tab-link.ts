import {
  memoryTransportPair,
  type Space,
  SyncSession,
  type Transport,
  type VersionVector,
  vvCovers,
} from '@weft/core';
import { BufferedTransport } from './buffered-transport.js';
import { ChannelTransport } from './channel-transport.js';
import { Confirmations } from './confirmations.js';
import { type Control, connectionChannel, controlChannel } from './control.js';
import { HelloWatch } from './hello-watch.js';
import type { Hub } from './hub.js';
import type { SpaceSyncState } from './space-sync.js';

/**
 * How long a tab waits for a hub to answer before asking again (a new hub announces itself,
 * which makes tabs ask at once: this is for a request that was missed), doubling up to a cap.
 */
const RETRY_MS = 1_000;
const MAX_RETRY_MS = 8_000;

export interface TabLinkOptions {
  readonly db: string;
  /** The tab's replica id (its actor and presence id). */
  readonly tab: string;
  /** The Web Lock this tab holds while it lives. */
  readonly lock: string;
  readonly sync: SpaceSyncState;
}

/**
 * Keeps one space of a tab's replica synced with the hub: over a channel of its own to the
 * hub tab, or in-process once this tab is the hub. Reconnects when a new hub announces itself
 * or the session ends; confirms the tab's writes as the hub acks them.
 */
export class TabLink {
  readonly confirmations: Confirmations;
  private session: SyncSession | undefined;
  private transport: Transport | undefined;
  private hub: Hub | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private caughtUp!: () => void;
  /** Resolves once the tab has everything the first hub it met had. */
  readonly ready: Promise<void>;

  constructor(
    private readonly space: Space,
    private readonly options: TabLinkOptions,
  ) {
    this.confirmations = new Confirmations(options.tab);
    this.ready = new Promise((resolve) => {
      this.caughtUp = resolve;
    });
  }

  /** (Re)connects to the hub in another tab over a fresh channel. */
  connect(attempt = 0): void {
    if (this.closed || this.hub) return;
    this.drop();
    const conn = randomId();
    const channel = new ChannelTransport(connectionChannel(this.options.db, conn));
    this.transport = channel;
    const connect: Control = {
      kind: 'connect',
      conn,
      tab: this.options.tab,
      lock: this.options.lock,
      space: this.space.name,
    };
    const control = new BroadcastChannel(controlChannel(this.options.db));
    control.postMessage(connect);
    control.close();
    // No answer (no hub yet, or it missed the request): ask again.
    const wait = Math.min(MAX_RETRY_MS, RETRY_MS * 2 ** attempt);
    this.retry = setTimeout(() => this.connect(attempt + 1), wait);
    void channel.firstMessage().then(() => {
      if (this.transport !== channel) return;
      clearTimeout(this.retry);
      this.start(channel);
    });
  }

  /** This tab became the hub: sync with it in-process from now on. */
  useHub(hub: Hub): void {
    if (this.closed) return;
    this.hub = hub;
    this.drop();
    const [ours, theirs] = memoryTransportPair();
    this.transport = ours;
    void hub.serveLocal(this.space.name, this.options.tab, new BufferedTransport(theirs));
    this.start(ours);
  }

  /** Resolves when the session has handled everything received and pushed. */
  async idle(): Promise<void> {
    await this.session?.idle();
  }

  close(): void {
    this.closed = true;
    this.drop();
  }

  private start(transport: Transport): void {
    const watched = new HelloWatch(transport, (vector) => this.whenCovered(vector));
    const session: SyncSession = new SyncSession(this.space, watched, this.options.tab, {
      onPresence: (client, state) => this.options.sync.setOther(client, state),
      onAck: (vector) => this.confirmations.acked(vector),
      onClose: () => {
        if (this.session !== session || this.closed) return;
        // The hub ended the session (it is closing, or refused something): start again.
        this.session = undefined;
        this.retry = setTimeout(() => (this.hub ? this.useHub(this.hub) : this.connect()), 500);
      },
    });
    this.session = session;
    session.start();
    this.options.sync.link((state) => session.sendPresence(this.options.tab, state));
  }

  private whenCovered(vector: VersionVector): void {
    const check = () => {
      if (!vvCovers(this.space.versionVector(), vector)) return false;
      this.caughtUp();
      return true;
    };
    if (check()) return;
    const stop = this.space.onChange(() => {
      if (check()) stop();
    });
  }

  /** Ends the current session and forgets the presence it brought. */
  private drop(): void {
    clearTimeout(this.retry);
    const session = this.session;
    this.session = undefined;
    session?.close('the tab reconnects');
    this.transport?.close('the tab reconnects');
    this.transport = undefined;
    this.options.sync.link(undefined);
    this.options.sync.forgetOthers();
  }
}

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
