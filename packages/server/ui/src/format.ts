// Numbers, sizes, times and values as people read them.

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function count(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

/** A hybrid logical clock stamp, as the CLI prints it. */
export function stamp(wall: number, logical: number): string {
  return `${new Date(wall).toISOString()}+${logical}`;
}

/** `12 s ago`, `3 min ago`, `2 h ago`. */
export function ago(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** A run or head hash, shortened (the full one is in the title). */
export function shortHash(hash: string): string {
  return hash.slice(0, 10);
}

export function json(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent);
}
