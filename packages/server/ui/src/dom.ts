// Building the page: elements from plain data (text only: nothing is parsed as HTML).

export type Child = Node | string | number | null | undefined | false;

/** An element with attributes (`testid` sets data-testid) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | boolean | undefined> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name === 'testid' ? 'data-testid' : name, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

function append(el: HTMLElement, children: readonly (Child | Child[])[]): void {
  for (const child of children) {
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.append(child);
    else if (child !== null && child !== undefined && child !== false) el.append(String(child));
  }
}

/** A table: a header row, then one row per item, each with a test id and data attributes. */
export function table<T>(
  testid: string,
  headers: readonly string[],
  items: readonly T[],
  row: (item: T) => { cells: Child[]; testid: string; data?: Record<string, string> },
  empty = 'none',
): HTMLElement {
  if (items.length === 0) return h('p', { class: 'empty', testid }, empty);
  return h(
    'table',
    { testid },
    h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', {}, x)))),
    h(
      'tbody',
      {},
      ...items.map((item) => {
        const r = row(item);
        const tr = h('tr', { testid: r.testid });
        for (const [k, v] of Object.entries(r.data ?? {})) tr.dataset[k] = v;
        for (const cell of r.cells) tr.append(h('td', {}, cell));
        return tr;
      }),
    ),
  );
}

/** A link to a route of the page (`#/spaces/…`). */
export function link(href: string, text: string, testid?: string): HTMLAnchorElement {
  return h('a', { href, testid }, text);
}

/** Replaces an element's children. */
export function fill(el: Element, ...children: (Child | Child[])[]): void {
  el.replaceChildren();
  append(el as HTMLElement, children);
}
