/** The one splice that turns `before` into `after`: common prefix and suffix kept. */
export interface Splice {
  readonly index: number;
  readonly deleteCount: number;
  readonly insert: string;
}

export function spliceBetween(before: string, after: string): Splice | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < max - start &&
    before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)
  )
    end++;
  // Never split a surrogate pair: move the cut off a low surrogate.
  if (start > 0 && isLowSurrogate(before.charCodeAt(start))) start--;
  if (end > 0 && isLowSurrogate(before.charCodeAt(before.length - end))) end--;
  return {
    index: start,
    deleteCount: before.length - start - end,
    insert: after.slice(start, after.length - end),
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
