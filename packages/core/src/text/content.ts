/**
 * How a sequence stores the content of a run of units. Text keeps a string (one unit per UTF-16
 * code unit); a list keeps an array of values (one unit per element). The tree and the
 * integration algorithm only ever measure, cut and join content through this interface.
 */
export interface ContentOps<C> {
  /** Content of no units (what a tombstone keeps). */
  empty(): C;
  length(content: C): number;
  /** Units `start … end - 1`, as new content that does not alias `content`. */
  slice(content: C, start: number, end?: number): C;
  /** `a` followed by `b`. May reuse `a` (the caller owns it); never changes `b`. */
  append(a: C, b: C): C;
  /** True when a boundary right after unit `index` would cut an indivisible pair of units. */
  splitsAfter(content: C, index: number): boolean;
}

/** UTF-16 text: a boundary must not fall between the halves of a surrogate pair. */
export const textContent: ContentOps<string> = {
  empty: () => '',
  length: (s) => s.length,
  slice: (s, start, end) => s.slice(start, end),
  append: (a, b) => a + b,
  splitsAfter: (s, i) => {
    const c = s.charCodeAt(i);
    return c >= 0xd800 && c <= 0xdbff;
  },
};

/** Any values, one per unit. Content arrays are owned by the items that hold them. */
export function arrayContent<T>(): ContentOps<T[]> {
  return {
    empty: () => [],
    length: (a) => a.length,
    slice: (a, start, end) => a.slice(start, end),
    append: (a, b) => {
      for (const x of b) a.push(x);
      return a;
    },
    splitsAfter: () => false,
  };
}
