// Reading the inspector API, with the token the page was opened with (`#token=…`), if any.

const TOKEN_KEY = 'weft-inspector-token';

/** Takes a `token=…` out of the address (so it is not shared with the URL) into this tab. */
export function takeToken(): void {
  const match = /(?:^#|&)token=([^&]*)/.exec(location.hash);
  if (!match) return;
  sessionStorage.setItem(TOKEN_KEY, decodeURIComponent(match[1]!));
  const rest = location.hash.replace(/(^#|&)token=[^&]*/, '$1').replace(/^#&/, '#');
  history.replaceState(null, '', rest === '#' ? location.pathname : rest);
}

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** GET /inspect/api/<parts…>?<params>; each part is encoded (ids may hold `/`). */
export async function getJson<T>(
  parts: readonly string[],
  params: Record<string, string | number | undefined> = {},
): Promise<T> {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== '') search.set(k, `${v}`);
  const query = search.toString() === '' ? '' : `?${search}`;
  const url = `/inspect/api/${parts.map(encodeURIComponent).join('/')}${query}`;
  const token = sessionStorage.getItem(TOKEN_KEY);
  const response = await fetch(url, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
    cache: 'no-store',
  });
  const body = (await response.json().catch(() => ({}))) as {
    error?: { code: string; message: string };
  };
  if (!response.ok) {
    const error = body.error ?? { code: 'http', message: `${response.status} from ${url}` };
    throw new ApiFailure(response.status, error.code, error.message);
  }
  return body as T;
}
