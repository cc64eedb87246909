/**
 * Where a JSON document breaks, for a message a person can act on. `JSON.parse` says what is
 * wrong but often not where; this walks the top-level array (or object) element by element
 * and names the first element that does not parse: `record 7 (line 9)` for an array,
 * `line 9` for an object. Only called after `JSON.parse` has failed.
 */
export function locateJsonError(text: string): string | undefined {
  let i = skipSpace(text, 0);
  const open = text[i];
  if (open !== '[' && open !== '{') return undefined;
  const check = (start: number, end: number, n: number): string | undefined => {
    const slice = text.slice(start, end);
    if (slice.trim() === '' && n === 1) return undefined; // [] or {}
    try {
      JSON.parse(open === '[' ? slice : `{${slice}}`);
      return undefined;
    } catch {
      const at = `line ${lineOf(text, skipSpace(text, start))}`;
      return open === '[' ? `record ${n} (${at})` : at;
    }
  };
  let depth = 0;
  let inString = false;
  let escaped = false;
  let elementStart = i + 1;
  let n = 1;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === '\\') escaped = true;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') depth++;
    else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) {
        const problem = check(elementStart, i, n);
        if (problem) return problem;
        const after = skipSpace(text, i + 1);
        return after < text.length ? `line ${lineOf(text, after)}` : undefined;
      }
    } else if (ch === ',' && depth === 1) {
      const problem = check(elementStart, i, n);
      if (problem) return problem;
      elementStart = i + 1;
      n++;
    }
  }
  // Ran out of text inside the top-level value: the last element is cut short.
  return (
    check(elementStart, text.length, n) ?? `line ${lineOf(text, text.length)} (unexpected end)`
  );
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i]!)) i++;
  return i;
}

function lineOf(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
