/**
 * The scopes of an API key and how they rank, apart from the route decorators (./scopes.ts): the
 * store and the key command check scopes without loading NestJS.
 */
/** Ordered: each scope includes the ones before it (an `admin` key can do what an `operate` key can). */
export const SCOPES = ['read', 'operate', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export function covers(granted: readonly Scope[], needed: Scope): boolean {
  const rank = SCOPES.indexOf(needed);
  return granted.some((scope) => SCOPES.indexOf(scope) >= rank);
}

/** The scope a route needs when it says nothing: reading is `read`, any change `admin`. */
export function defaultScope(method: string): Scope {
  return method === 'GET' || method === 'HEAD' ? 'read' : 'admin';
}
