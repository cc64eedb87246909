import type { Connection } from '../connections.js';
import { changesBehind, vectorJson } from './lag.js';
import { type ApiRequest, openSpace } from './request.js';

/**
 * Connected clients with their sync lag: the changes the space holds beyond what the server
 * knows the client has (its hello, what it sent, what was sent to it), and what was sent but
 * still waits in the connection (messages not yet written to the socket, bytes not yet handed
 * to the network). The server asks clients for no acks (relaying stays cheap), so "sent" is as
 * far as it can see; a client that lost something says so in its next hello.
 */
export async function clientsJson(r: ApiRequest, spaceName?: string) {
  if (spaceName !== undefined) await openSpace(r, spaceName);
  const allowed = new Map<string, boolean>();
  const out = [];
  for (const c of r.source.connections()) {
    if (spaceName !== undefined && c.space !== spaceName) continue;
    let ok = allowed.get(c.space);
    if (ok === undefined) {
      ok = await r.canRead(c.space);
      allowed.set(c.space, ok);
    }
    if (ok) out.push(await describe(r, c));
  }
  return {
    clients: out,
    ...(spaceName === undefined ? {} : { presence: r.source.presence(spaceName) }),
  };
}

async function describe(r: ApiRequest, c: Connection) {
  // The session holds the space open, so this finds it open.
  const space = await r.db.space(c.space);
  const known = c.session.peerVector;
  const behind = changesBehind(space.versionVector(), known);
  const queuedMessages = c.transport.queuedMessages;
  const bufferedBytes = c.transport.bufferedBytes;
  return {
    id: c.id,
    space: c.space,
    client: c.client,
    address: c.address ?? null,
    connectedAt: c.connectedAt,
    canWrite: c.canWrite,
    known: vectorJson(known),
    behind,
    queuedMessages,
    bufferedBytes,
    upToDate: behind === 0 && queuedMessages === 0 && bufferedBytes === 0,
  };
}
