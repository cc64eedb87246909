import { Reader } from './reader.js';
import { Writer } from './writer.js';

/** Version of every Weft byte format. Bumped when an encoding changes incompatibly. */
export const FORMAT_VERSION = 1;

/** What an encoding holds; the second byte of every envelope. */
export const Tag = {
  value: 1,
  versionVector: 2,
  causalContext: 3,
  hlc: 4,
  gCounter: 16,
  pnCounter: 17,
  lwwRegister: 18,
  mvRegister: 19,
  gSet: 20,
  twoPSet: 21,
  orSet: 22,
  orMap: 23,
  text: 24,
  list: 25,
  textOps: 26,
  listOps: 27,
  textDelta: 28,
  listDelta: 29,
  run: 32,
  runs: 33,
  docChange: 40,
  spaceState: 41,
  snapshot: 42,
  replicaMeta: 43,
  sync: 50,
} as const;
export type Tag = (typeof Tag)[keyof typeof Tag];

const MAX_ACTOR_LENGTH = 256;

/**
 * An envelope is `version, tag, actor table, body`. Bodies refer to actors by index, so an
 * actor id is written once however many dots mention it.
 */
export function encodeEnvelope(tag: Tag, writeBody: (w: Writer) => void): Uint8Array {
  const body = new Writer(256);
  writeBody(body);
  return envelopeOf(tag, body);
}

/** Wraps a body already written (with its actor table) in an envelope. */
export function envelopeOf(tag: Tag, body: Writer): Uint8Array {
  const out = new Writer(body.length + 16 * body.actors.size + 8);
  out.u8(FORMAT_VERSION);
  out.u8(tag);
  out.varuint(body.actors.size);
  for (const id of body.actors.keys()) out.string(id);
  out.raw(body.written());
  return out.finish();
}

/** Decodes an envelope of the given tag; throws DecodeError on anything else. */
export function decodeEnvelope<T>(bytes: Uint8Array, tag: Tag, readBody: (r: Reader) => T): T {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== FORMAT_VERSION) {
    r.fail(`unsupported format version ${version} (this build reads version ${FORMAT_VERSION})`);
  }
  const found = r.u8();
  if (found !== tag) r.fail(`expected ${tagName(tag)}, found tag ${found}`);
  r.actors = readActorTable(r);
  const value = readBody(r);
  r.end();
  return value;
}

function readActorTable(r: Reader): string[] {
  const n = r.count(2);
  const actors: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < n; i++) {
    const id = r.string();
    if (id.length === 0 || id.length > MAX_ACTOR_LENGTH) r.fail('actor id of invalid length');
    if (seen.has(id)) r.fail('duplicate actor in actor table');
    seen.add(id);
    actors.push(id);
  }
  return actors;
}

function tagName(tag: Tag): string {
  for (const [name, value] of Object.entries(Tag)) if (value === tag) return name;
  return `tag ${tag}`;
}
