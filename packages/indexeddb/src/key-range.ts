import { compareKeys, hasPrefix, type StorageKey } from '@weft/core';

/**
 * The IndexedDB key range of `range(prefix, from, before)`, or undefined when it is empty.
 * Keys are stored as IndexedDB array keys, which compare element by element, strings by code
 * unit, a shorter array before a longer one it starts: the order of `compareKeys`. Every key
 * under `prefix` sorts before `[...prefix, []]`, since an array sorts after every string.
 */
export function keyRange(
  KeyRange: typeof IDBKeyRange,
  prefix: StorageKey,
  from?: StorageKey,
  before?: StorageKey,
): IDBKeyRange | undefined {
  let lower: StorageKey = prefix;
  if (from && compareKeys(from, prefix) > 0) {
    if (!hasPrefix(from, prefix)) return undefined; // from is past every key under prefix
    lower = from;
  }
  let upper: IDBValidKey = [...prefix, []];
  if (before && (hasPrefix(before, prefix) || compareKeys(before, prefix) <= 0)) {
    if (compareKeys(before, lower) <= 0) return undefined;
    upper = [...before];
  }
  return KeyRange.bound([...lower], upper, false, true);
}
