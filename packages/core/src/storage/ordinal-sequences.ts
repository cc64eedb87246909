import { ordinalKey } from './adapter.js';

/**
 * Values under keys whose last part is an ordinal (`ordinalKey`: a log's entries 0, 1, 2, …),
 * kept in an array per prefix instead of under a key string each: a space's log of 100,000
 * runs would otherwise hold 100,000 key strings, which the garbage collector traces and every
 * write has to build. MemoryStorage keeps other keys, and ordinals too far apart, in its map.
 */
export class OrdinalSequences<V> {
  private readonly byPrefix = new Map<string, (V | undefined)[]>();

  /** The ordinal a key part stands for (`ordinalKey`'s 11 base-36 digits), or -1. */
  static ordinalOf(part: string): number {
    if (part.length !== 11) return -1;
    for (let i = 0; i < 11; i++) {
      const c = part.charCodeAt(i);
      if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 122))) return -1;
    }
    const n = Number.parseInt(part, 36);
    return n < 2 ** 31 ? n : -1;
  }

  get(prefix: string, n: number): V | undefined {
    return this.byPrefix.get(prefix)?.[n];
  }

  /** Keeps `value` at `n`; false (nothing kept) if `n` lies too far past the others. */
  set(prefix: string, n: number, value: V): boolean {
    let values = this.byPrefix.get(prefix);
    if (n > 2 * (values?.length ?? 0) + 4096) return false;
    if (!values) {
      values = [];
      this.byPrefix.set(prefix, values);
    }
    while (values.length < n) values.push(undefined);
    values[n] = value;
    return true;
  }

  delete(prefix: string, n: number): void {
    const values = this.byPrefix.get(prefix);
    if (values && n < values.length) values[n] = undefined;
  }

  /** Deletes every value whose whole key (prefix, ordinal part) `under` accepts. */
  deleteWhere(under: (prefix: string, ordinal: string) => boolean): void {
    for (const [prefix, values] of this.byPrefix) {
      for (let n = 0; n < values.length; n++)
        if (values[n] !== undefined && under(prefix, ordinalKey(n))) values[n] = undefined;
    }
  }

  /** Every value, with its prefix and ordinal part. */
  *entries(): IterableIterator<[prefix: string, ordinal: string, value: V]> {
    for (const [prefix, values] of this.byPrefix) {
      for (let n = 0; n < values.length; n++) {
        const value = values[n];
        if (value !== undefined) yield [prefix, ordinalKey(n), value];
      }
    }
  }
}
