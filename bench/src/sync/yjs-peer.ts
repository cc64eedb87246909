// The y-websocket side of the fan-out benchmark: its server (`setupWSConnection` from
// @y/websocket-server 0.1.1, on `ws`, documents in memory, as its own server.js runs it) and
// its clients (`WebsocketProvider` from y-websocket on Yjs 13), one Y.Doc per client sharing
// one Y.Map. The writer sets a key of the map to a string of the same size as Weft's payload.
import { createServer } from 'node:http';
import { setupWSConnection } from '@y/websocket-server/utils';
import { WebSocket, WebSocketServer } from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { nextTurn, within } from './common.js';
import { type FanoutPeers, openAll, type PeerOptions, payloadOf } from './peers.js';

const ROOM = 'fanout';
const MAP = 'docs';

/** The y-websocket server on 127.0.0.1, on a free port. */
export function startYjsServer(): Promise<{ url: string; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const http = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('okay');
    });
    const wss = new WebSocketServer({ noServer: true });
    wss.on('connection', setupWSConnection);
    http.on('upgrade', (request, socket, head) => {
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    });
    http.once('error', reject);
    http.listen(0, '127.0.0.1', () => {
      const address = http.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        url: `ws://127.0.0.1:${port}`,
        close: async () => {
          for (const client of wss.clients) client.terminate();
          await new Promise<void>((done) => wss.close(() => done()));
          http.closeAllConnections();
          await new Promise<void>((done) => http.close(() => done()));
        },
      });
    });
  });
}

/** A `ws` WebSocket that counts the bytes of the messages it receives. */
function countingWebSocket(counter: { bytes: number; messages: number }) {
  return class CountingWebSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols);
      this.on('message', (data: ArrayBuffer | Buffer) => {
        counter.bytes += data.byteLength;
        counter.messages += 1;
      });
    }
  };
}

function provider(
  url: string,
  doc: Y.Doc,
  counter: { bytes: number; messages: number },
): WebsocketProvider {
  const p = new WebsocketProvider(url, ROOM, doc, {
    // Node's `ws` in place of the browser's WebSocket (same API for what y-websocket uses).
    WebSocketPolyfill: countingWebSocket(counter) as unknown as typeof globalThis.WebSocket,
    // Every client is in this one process: no BroadcastChannel shortcut around the server.
    disableBc: true,
    connect: false,
  });
  // No awareness (presence): Weft's clients set none either. With a local state, each client
  // would announce itself to all the others and renew it every 15 s: N² messages of noise.
  p.awareness.setLocalState(null);
  p.connect();
  return p;
}

function whenSynced(p: WebsocketProvider): Promise<void> {
  if (p.synced) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (synced: boolean) => {
      if (!synced) return;
      p.off('sync', done);
      resolve();
    };
    p.on('sync', done);
  });
}

export async function connectYjsPeers(options: PeerOptions): Promise<FanoutPeers> {
  const errors: string[] = [];
  const writerCounter = { bytes: 0, messages: 0 };
  const writerDoc = new Y.Doc();
  const writerMap = writerDoc.getMap<string>(MAP);
  writerDoc.transact(() => {
    for (let k = 0; k < options.pool; k++)
      writerMap.set(`d${k}`, payloadOf(0, options.payloadBytes));
  });
  const writer = provider(options.url, writerDoc, writerCounter);
  await within(whenSynced(writer), 30_000, 'the y-websocket writer connecting');

  const counter = { bytes: 0, messages: 0 };
  let synced = 0;
  let allSynced: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    allSynced = resolve;
  });
  const receivers = await openAll(options.receivers, options.connectConcurrency, async (i) => {
    const doc = new Y.Doc();
    const map = doc.getMap<string>(MAP);
    let last = -1;
    const check = (keys: Iterable<string>) => {
      let upTo = last;
      for (const key of keys) {
        const n = Number.parseInt(map.get(key) ?? '-1', 10);
        if (n > upTo) upTo = n;
      }
      if (last < 0 && map.size === options.pool && ++synced === options.receivers) allSynced();
      if (upTo > last) {
        last = upTo;
        if (upTo > 0) options.seen(i, upTo);
      }
    };
    map.observe((event) => check(event.keysChanged));
    const p = provider(options.url, doc, counter);
    p.on('connection-close', (event) => {
      if (p.shouldConnect) errors.push(`a y-websocket connection closed (${event?.code ?? ''})`);
    });
    await whenSynced(p);
    return { doc, provider: p };
  });
  await within(
    ready,
    120_000,
    `${options.receivers} y-websocket receivers getting the initial map`,
  );
  await nextTurn();
  // A provider drops a connection that has heard no message for 30 s (its server's pings do
  // not count), as it would while the other system takes its turn (a rep at 1,000 receivers
  // lasts longer): told every few seconds that it is alive, it keeps its connection.
  const providers = [writer, ...receivers.map((r) => r.provider)];
  const keepAlive = setInterval(() => {
    const now = Date.now();
    for (const p of providers) p.wsLastMessageReceived = now;
  }, 5_000);

  return {
    write(n: number) {
      writerMap.set(`d${n % options.pool}`, payloadOf(n, options.payloadBytes));
    },
    received: () => ({ ...counter }),
    errors: () => errors,
    async close() {
      clearInterval(keepAlive);
      writer.destroy();
      for (const r of receivers) r.provider.destroy();
      writerDoc.destroy();
      for (const r of receivers) r.doc.destroy();
    },
  };
}
