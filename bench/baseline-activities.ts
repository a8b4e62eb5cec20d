/** The baseline's activity: plain fetch, no validation, no framework. */
export async function fetchJson(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<unknown> {
  const res = await fetch(url, { method, headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}
