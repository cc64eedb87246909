import {
  readVersionVector,
  type VersionVector,
  writeVersionVector,
} from '../clocks/version-vector.js';
import { decodeEnvelope, encodeEnvelope, Tag } from '../encoding/envelope.js';
import type { Reader } from '../encoding/reader.js';
import { readValue, type Value, writeValue } from '../encoding/value.js';
import type { Writer } from '../encoding/writer.js';
import { bytesToHex, HASH_BYTES, type Hash, hexToBytes } from '../log/hash.js';
import { type Run, readRun, writeRun } from '../log/run.js';

/** The sync protocol's version. A peer speaking another one gets a protocol error. */
export const PROTOCOL_VERSION = 1;

/**
 * The messages of the sync protocol (per space, over any transport):
 * - `hello` opens a session: who I am, which space, what I have (heads and version vector);
 * - `changes` carries runs the other side lacks, in causal order;
 * - `ack` says what the sender has stored durably;
 * - `error` says what was wrong before the sender closes;
 * - `presence` carries a client's small ephemeral state (name, cursor…; null: gone). Never
 *   stored: a server relays it to the space's other clients.
 * - `snapshot` answers a hello that `wantsSnapshot`: the space's state, version vector and
 *   run summaries (an encoded snapshot), in place of all of its history.
 * - `part` carries a piece of a message too large for one frame; the pieces of one message
 *   come in order, the last one flagged, and nothing else comes between them.
 * - `ping` asks the peer for a `pong`: a heartbeat that works over any transport (a browser's
 *   WebSocket cannot send WebSocket pings).
 */
export type SyncMessage =
  | {
      readonly kind: 'hello';
      readonly protocol: number;
      readonly replica: string;
      readonly space: string;
      readonly heads: readonly Hash[];
      readonly vector: VersionVector;
      readonly credentials: Value;
      /** The sender is empty and would rather start from a snapshot than from all history. */
      readonly wantsSnapshot: boolean;
      /** The sender wants an `ack` for the changes it sends (a server relaying to clients does not). */
      readonly wantsAcks: boolean;
    }
  | { readonly kind: 'changes'; readonly runs: readonly Run[] }
  | { readonly kind: 'ack'; readonly vector: VersionVector }
  | { readonly kind: 'error'; readonly code: string; readonly message: string }
  | { readonly kind: 'presence'; readonly client: string; readonly state: Value }
  | { readonly kind: 'snapshot'; readonly snapshot: Uint8Array }
  | { readonly kind: 'part'; readonly last: boolean; readonly bytes: Uint8Array }
  | { readonly kind: 'ping' }
  | { readonly kind: 'pong' };

const KINDS = [
  'hello',
  'changes',
  'ack',
  'error',
  'presence',
  'snapshot',
  'part',
  'ping',
  'pong',
] as const;

export function encodeMessage(message: SyncMessage): Uint8Array {
  return encodeEnvelope(Tag.sync, (w) => {
    w.u8(KINDS.indexOf(message.kind));
    writeBody(w, message);
  });
}

function writeBody(w: Writer, m: SyncMessage): void {
  switch (m.kind) {
    case 'hello':
      w.varuint(m.protocol);
      w.string(m.replica);
      w.string(m.space);
      w.varuint(m.heads.length);
      for (const head of m.heads) w.raw(hexToBytes(head));
      writeVersionVector(w, m.vector);
      writeValue(w, m.credentials);
      w.varuint((m.wantsSnapshot ? 1 : 0) | (m.wantsAcks ? 2 : 0));
      return;
    case 'changes':
      w.varuint(m.runs.length);
      for (const run of m.runs) writeRun(w, run);
      return;
    case 'ack':
      writeVersionVector(w, m.vector);
      return;
    case 'error':
      w.string(m.code);
      w.string(m.message);
      return;
    case 'presence':
      w.string(m.client);
      writeValue(w, m.state);
      return;
    case 'snapshot':
      w.bytes(m.snapshot);
      return;
    case 'part':
      w.u8(m.last ? 1 : 0);
      w.bytes(m.bytes);
      return;
    case 'ping':
    case 'pong':
      return;
  }
}

/**
 * Decodes a message. Total: returns a message or throws DecodeError. A hello is read far
 * enough to check its protocol version first, so a future version is named, not misparsed.
 */
export function decodeMessage(bytes: Uint8Array): SyncMessage {
  return decodeEnvelope(bytes, Tag.sync, (r) => {
    const kind = KINDS[r.u8()];
    if (kind === undefined) return r.fail('unknown sync message kind');
    return readBody(r, kind);
  });
}

function readBody(r: Reader, kind: SyncMessage['kind']): SyncMessage {
  switch (kind) {
    case 'hello': {
      const protocol = r.varuint();
      if (protocol !== PROTOCOL_VERSION) {
        r.fail(
          `protocol version ${protocol} is not supported (this replica speaks ${PROTOCOL_VERSION})`,
        );
      }
      const replica = r.string();
      const space = r.string();
      const n = r.count(HASH_BYTES);
      const heads: Hash[] = [];
      for (let i = 0; i < n; i++) heads.push(bytesToHex(r.raw(HASH_BYTES)));
      const vector = readVersionVector(r);
      const credentials = readValue(r);
      const flags = r.varuint();
      if (flags > 3) r.fail(`unknown hello flags ${flags}`);
      return {
        kind,
        protocol,
        replica,
        space,
        heads,
        vector,
        credentials,
        wantsSnapshot: (flags & 1) !== 0,
        wantsAcks: (flags & 2) !== 0,
      };
    }
    case 'changes': {
      const n = r.count(4 + HASH_BYTES);
      const runs = new Array<Run>(n);
      for (let i = 0; i < n; i++) runs[i] = readRun(r);
      return { kind, runs };
    }
    case 'ack':
      return { kind, vector: readVersionVector(r) };
    case 'error':
      return { kind, code: r.string(), message: r.string() };
    case 'presence':
      return { kind, client: r.string(), state: readValue(r) };
    case 'snapshot':
      return { kind, snapshot: r.bytes().slice() };
    case 'part': {
      const last = r.u8();
      if (last > 1) r.fail(`a part's last flag is ${last}, not 0 or 1`);
      return { kind, last: last === 1, bytes: r.bytes().slice() };
    }
    case 'ping':
    case 'pong':
      return { kind };
  }
}
