/**
 * A replica's identity in clocks and dots. Any non-empty string of at most 256 characters;
 * `randomActorId()` makes a fresh 16-hex-character one.
 */
export type ActorId = string;

export function randomActorId(): ActorId {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  let id = '';
  for (const b of bytes) id += b.toString(16).padStart(2, '0');
  return id;
}
