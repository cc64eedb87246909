import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import {
  type Database,
  decodeMessage,
  encodeMessage,
  nextTurnQueue,
  type SyncMessage,
  SyncSession,
  type Value,
} from '@weft/core';
import { openSqliteDatabase } from '@weft/sqlite';
import { type WebSocket, WebSocketServer } from 'ws';
import { appSite } from './app-site.js';
import { Connections } from './connections.js';
import { routeHttp } from './http-routes.js';
import { handleHttp } from './http-sync.js';
import { inspectHandler } from './inspect/handler.js';
import { serverSource } from './inspect/server-source.js';
import { PresenceHub } from './presence-hub.js';
import { WebSocketTransport } from './ws-transport.js';

export type Access = 'read' | 'write';

export interface ServerOptions<Identity = unknown> {
  /** The port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** The interface to listen on. Default '127.0.0.1'; '0.0.0.0' or '::' to serve the network. */
  readonly host?: string;
  /** The server's data directory (its SQLite database lives there). */
  readonly dataDir: string;
  /**
   * Who the client is, from the credentials in its hello; undefined refuses it. Default:
   * everyone is let in (as the identity 'anonymous').
   */
  readonly authenticate?: (
    credentials: Value,
  ) => Identity | undefined | Promise<Identity | undefined>;
  /** Whether an identity may read or write a space. Default: always. */
  readonly authorize?: (
    identity: Identity,
    space: string,
    access: Access,
  ) => boolean | Promise<boolean>;
  /** The largest message accepted, in bytes; a larger one closes that connection. 1 MiB. */
  readonly maxMessageBytes?: number;
  /**
   * The most messages queued per connection, each way: waiting to be written to a client that
   * reads too slowly, or received and waiting to be handled. Past it that connection is closed
   * with an 'overloaded' error (the client catches up when it reconnects). Default 4096.
   */
  readonly maxQueuedMessages?: number;
  /**
   * The server pings every client this often; a client that has not answered by the next
   * ping is dropped (a dead link would otherwise hold its presence forever). Default 30 s.
   */
  readonly heartbeatMs?: number;
  /** How long a disconnected client's presence stays visible. Default 30 s. */
  readonly presenceTimeoutMs?: number;
  /**
   * The inspector at `/inspect`: a read-only web page and JSON API (spaces, documents,
   * conflicts, the change DAG, clients and their lag, presence, storage). Default on; it
   * answers only requests whose `Authorization: Bearer <token>` (as `{ token }`, or null
   * without one) passes `authenticate`, and shows only spaces `authorize` lets them read.
   */
  readonly inspect?: boolean;
  /**
   * A built web app to serve at `/` (a directory holding index.html): its files, and
   * index.html for other paths without a file extension (client-side routes). Paths under
   * /inspect, /spaces and /sync are never the app's.
   */
  readonly app?: string;
}

export interface WeftServer {
  /** Where clients connect: `ws://host:port`. */
  readonly url: string;
  /** The same address over HTTP (`http://host:port`): the app, `/inspect`, HTTP sync. */
  readonly httpUrl: string;
  readonly port: number;
  /** Closes every connection, stops listening and closes the database (writes are durable). */
  close(): Promise<void>;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;
const DEFAULT_MAX_QUEUED_MESSAGES = 4096;

/**
 * Starts a sync server: one SQLite database, one `SyncSession` per WebSocket connection. A
 * connection starts with the client's hello, which names the space and carries credentials;
 * an authenticated client allowed to read gets the space, and changes it may write are stored
 * and pushed to every other client of the space.
 */
export async function startServer<Identity = unknown>(
  options: ServerOptions<Identity>,
): Promise<WeftServer> {
  // Relays and storage writes are scheduled on one queue, so that clients get a change
  // before the write that makes it durable (an fsync) holds up the event loop.
  const nextTurn = nextTurnQueue();
  const db = await openSqliteDatabase({
    dataDir: options.dataDir,
    // A client that lags behind by a few hundred runs still gets them from memory.
    persist: { schedule: nextTurn, runsKeptInMemory: 1024 },
  });
  const authenticate =
    options.authenticate ?? ((() => 'anonymous' as Identity) as () => Identity | undefined);
  const authorize = options.authorize ?? (() => true);
  const host = options.host ?? '127.0.0.1';
  const sessions = new Set<SyncSession>();
  const presence = new PresenceHub(options.presenceTimeoutMs ?? 30_000);
  const connections = new Connections();
  const sockets = new Set<WebSocket>();
  /** Sockets heard from since the last heartbeat. */
  const alive = new Set<WebSocket>();
  let closing = false;

  const maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  const maxQueuedMessages = options.maxQueuedMessages ?? DEFAULT_MAX_QUEUED_MESSAGES;
  const httpContext = {
    db,
    maxBodyBytes: maxMessageBytes,
    async allowed(credentials: Value, space: string, access: Access): Promise<boolean> {
      const identity = await authenticate(credentials);
      return identity !== undefined && (await authorize(identity, space, access));
    },
  };
  let wss: WebSocketServer;
  let http: HttpServer;
  try {
    const inspect =
      options.inspect === false
        ? undefined
        : inspectHandler(
            serverSource({
              db,
              dataDir: options.dataDir,
              connections,
              presence,
              authenticate,
              authorize,
            }),
          );
    const app = options.app === undefined ? undefined : appSite(options.app);
    ({ wss, http } = await listen({
      port: options.port ?? 0,
      host,
      maxPayload: maxMessageBytes,
      http: routeHttp({ sync: (req, res) => void handleHttp(httpContext, req, res), inspect, app }),
    }));
  } catch (error) {
    await db.close();
    throw error;
  }

  wss.on('connection', (socket, req) => {
    if (closing) {
      socket.terminate();
      return;
    }
    sockets.add(socket);
    alive.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      alive.delete(socket);
    });
    socket.on('pong', () => alive.add(socket));
    socket.on('message', () => alive.add(socket));
    const transport = new WebSocketTransport(socket, { maxQueuedMessages });
    const early: Uint8Array[] = [];
    transport.onMessage((bytes) => {
      early.push(bytes);
      if (early.length === 1) {
        void accept(db, transport, bytes, req.socket.remoteAddress).then(
          (session) => {
            if (!session) return;
            sessions.add(session);
            // The session's receiver is registered now: hand it the hello and anything after.
            for (const message of early) transport.deliver(message);
          },
          (error: unknown) => refuse(transport, 'internal', (error as Error).message),
        );
      }
    });
  });

  async function accept(
    db: Database,
    transport: WebSocketTransport,
    first: Uint8Array,
    address: string | undefined,
  ): Promise<SyncSession | undefined> {
    let hello: SyncMessage;
    try {
      hello = decodeMessage(first);
    } catch (error) {
      refuse(transport, 'protocol', `malformed message: ${(error as Error).message}`);
      return undefined;
    }
    if (hello.kind !== 'hello') {
      refuse(transport, 'protocol', `a session starts with a hello, not "${hello.kind}"`);
      return undefined;
    }
    const identity = await authenticate(hello.credentials);
    const canRead = identity !== undefined && (await authorize(identity, hello.space, 'read'));
    if (!canRead) {
      refuse(
        transport,
        'unauthorized',
        identity === undefined
          ? 'the credentials were not accepted'
          : `not allowed to read space "${hello.space}"`,
      );
      return undefined;
    }
    const canWrite = await authorize(identity, hello.space, 'write');
    let space: Awaited<ReturnType<Database['space']>>;
    try {
      space = await db.space(hello.space);
    } catch (error) {
      refuse(transport, 'protocol', (error as Error).message);
      return undefined;
    }
    if (transport.isClosed || closing) return undefined;
    // Presence is keyed by the replica id of the hello: a client speaks only for itself.
    const client = hello.replica;
    let forget = () => {};
    const session: SyncSession = new SyncSession(space, transport, db.replicaId, {
      acceptChanges: canWrite,
      maxQueuedMessages,
      // The server keeps the full history: it never starts a space from a client's snapshot.
      requestSnapshot: false,
      // A client that lost a relayed change says so in its next hello: no acks needed.
      requestAcks: false,
      // Changes received together (a burst) go to each client in one message.
      schedulePush: nextTurn,
      // A frame must fit the client's limit as well as ours.
      maxFrameBytes: Math.min(512 * 1024, maxMessageBytes),
      onClose: () => {
        sessions.delete(session);
        forget();
        presence.leave(space.name, client, session);
      },
      onPresence: (_claimed, state) => presence.update(space.name, client, state, session),
    });
    forget = connections.add({ space: space.name, client, address, canWrite, session, transport });
    session.start();
    presence.join(space.name, client, session);
    return session;
  }

  const heartbeat = setInterval(() => {
    for (const socket of sockets) {
      if (!alive.has(socket)) {
        socket.terminate();
        continue;
      }
      alive.delete(socket);
      socket.ping();
    }
  }, options.heartbeatMs ?? 30_000);
  heartbeat.unref();

  const address = http.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `ws://${urlHost}:${port}`,
    httpUrl: `http://${urlHost}:${port}`,
    port,
    async close() {
      if (closing) return;
      closing = true;
      clearInterval(heartbeat);
      const open = [...sessions];
      for (const session of open) session.close('the server is shutting down');
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await Promise.allSettled(open.map((s) => s.idle()));
      presence.clear();
      await db.close();
    },
  };
}

function refuse(transport: WebSocketTransport, code: string, message: string): void {
  transport.send(encodeMessage({ kind: 'error', code, message }));
  transport.close(`${code}: ${message}`);
}

/** An HTTP server (for the plain HTTP routes) with the WebSocket server on its upgrades. */
function listen(options: {
  port: number;
  host: string;
  maxPayload: number;
  http: (req: IncomingMessage, res: ServerResponse) => void;
}): Promise<{ wss: WebSocketServer; http: HttpServer }> {
  return new Promise((resolve, reject) => {
    const http = createServer(options.http);
    const wss = new WebSocketServer({ server: http, maxPayload: options.maxPayload });
    http.once('error', reject);
    http.listen(options.port, options.host, () => {
      http.off('error', reject);
      http.on('error', () => {});
      wss.on('error', () => {});
      resolve({ wss, http });
    });
  });
}
