/**
 * Who is signed in: the key is checked with GET /me, which also gives its scopes, so the pages
 * offer only what the key may do. The API still decides; hiding a button is a courtesy.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, whenUnauthorized } from './api';
import { forgetKey, readKey, storeKey } from './session-key';
import type { Me, Scope } from './types';

const RANK: Record<Scope, number> = { read: 0, operate: 1, admin: 2 };

interface Session {
  me: Me | null;
  /** True while a stored key is being checked after a reload. */
  checking: boolean;
  signIn(key: string): Promise<void>;
  signOut(): void;
  can(scope: Scope): boolean;
}

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queries = useQueryClient();
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => readKey() !== null);

  const signOut = useCallback(() => {
    forgetKey();
    setMe(null);
    queries.clear();
  }, [queries]);

  useEffect(() => whenUnauthorized(signOut), [signOut]);

  useEffect(() => {
    if (!readKey()) return;
    api<Me>('GET', '/me')
      .then(setMe)
      .catch(() => forgetKey())
      .finally(() => setChecking(false));
  }, []);

  const signIn = useCallback(async (key: string) => {
    const who = await api<Me>('GET', '/me', undefined, key);
    storeKey(key);
    setMe(who);
  }, []);

  const session = useMemo<Session>(() => ({ me, checking, signIn, signOut, can: (scope) => !!me && me.scopes.some((granted) => RANK[granted] >= RANK[scope]) }), [me, checking, signIn, signOut]);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
