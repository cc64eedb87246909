import { Reader } from './reader.js';
import { releaseWriter, takeWriter, type Writer } from './writer.js';

/**
 * Version of the Weft byte formats, the first byte of every envelope. When an encoding changes
 * incompatibly its version is bumped (`formatVersion`); its decoder goes on reading the older
 * versions (`decodeEnvelope` hands the version found to the body's reader) or refuses them by
 * name. Formats never changed stay at this version (run hashes cover it, so it stays 1).
 */
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
  docChangeNext: 44,
  spaceState: 41,
  snapshot: 42,
  replicaMeta: 43,
  sync: 50,
} as const;
export type Tag = (typeof Tag)[keyof typeof Tag];

/**
 * The formats at a later version than FORMAT_VERSION, and what changed:
 * - space states and snapshots, 2: counter entries and set adds carry the stamp (HLC) of their
 *   change, as register entries do (version 1 is read with those stamps as 0.0).
 */
const LATER_VERSIONS: { readonly [tag: number]: number } = {
  [Tag.spaceState]: 2,
  [Tag.snapshot]: 2,
};

/** The version a format is written in now (it reads versions 1 to this one). */
export function formatVersion(tag: Tag): number {
  return LATER_VERSIONS[tag] ?? FORMAT_VERSION;
}

const MAX_ACTOR_LENGTH = 256;

/**
 * An envelope is `version, tag, actor table, body`. Bodies refer to actors by index, so an
 * actor id is written once however many dots mention it.
 */
export function encodeEnvelope(tag: Tag, writeBody: (w: Writer) => void): Uint8Array {
  const body = takeWriter();
  writeBody(body);
  const out = envelopeOf(tag, body);
  releaseWriter(body);
  return out;
}

/** Wraps a body already written (with its actor table) in an envelope. */
export function envelopeOf(
  tag: Tag,
  body: Writer,
  allocate: (length: number) => Uint8Array = (n) => new Uint8Array(n),
): Uint8Array {
  const head = takeWriter();
  head.u8(formatVersion(tag));
  head.u8(tag);
  head.varuint(body.actors.length);
  for (const id of body.actors) head.string(id);
  const out = allocate(head.length + body.length);
  head.copyTo(out, 0);
  body.copyTo(out, head.length);
  releaseWriter(head);
  return out;
}

/**
 * Decodes an envelope of the given tag, of any version this build reads (`readBody` gets the
 * version found); throws DecodeError on anything else.
 */
export function decodeEnvelope<T>(
  bytes: Uint8Array,
  tag: Tag,
  readBody: (r: Reader, version: number) => T,
): T {
  const r = new Reader(bytes);
  const version = r.u8();
  const current = formatVersion(tag);
  if (version < 1 || version > current) {
    const reads = current === 1 ? 'version 1' : `versions 1 to ${current}`;
    r.fail(`unsupported format version ${version} of ${tagName(tag)} (this build reads ${reads})`);
  }
  const found = r.u8();
  if (found !== tag) r.fail(`expected ${tagName(tag)}, found tag ${found}`);
  r.actors = readActorTable(r);
  const value = readBody(r, version);
  r.end();
  return value;
}

function readActorTable(r: Reader): string[] {
  const n = r.count(2);
  const actors = new Array<string>(n);
  // A change's table holds an actor or two: searched as it is; a large one through a set.
  const seen = n > 16 ? new Set<string>() : undefined;
  for (let i = 0; i < n; i++) {
    const id = r.string();
    if (id.length === 0 || id.length > MAX_ACTOR_LENGTH) r.fail('actor id of invalid length');
    if (seen ? seen.has(id) : i > 0 && actors.lastIndexOf(id, i - 1) >= 0)
      r.fail('duplicate actor in actor table');
    seen?.add(id);
    actors[i] = id;
  }
  return actors;
}

function tagName(tag: Tag): string {
  for (const [name, value] of Object.entries(Tag)) if (value === tag) return name;
  return `tag ${tag}`;
}
