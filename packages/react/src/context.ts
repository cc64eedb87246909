import type { Space } from '@weft/core';
import { createContext, createElement, type ReactNode, useContext } from 'react';
import type { PresenceSource } from './presence-source.js';

interface WeftContextValue {
  readonly space: Space;
  readonly presence: PresenceSource | undefined;
}

const WeftContext = createContext<WeftContextValue | null>(null);

export interface WeftProviderProps {
  /** The space the hooks below read and write. */
  readonly space: Space;
  /** Where presence comes from and goes to: a SyncClient (or anything with the same methods). */
  readonly presence?: PresenceSource;
  readonly children?: ReactNode;
}

/** Gives the components below it a space (and presence) for `useQuery`, `useDocument`… */
export function WeftProvider({ space, presence, children }: WeftProviderProps) {
  return createElement(WeftContext.Provider, { value: { space, presence } }, children);
}

function useWeft(hook: string): WeftContextValue {
  const value = useContext(WeftContext);
  if (!value)
    throw new Error(`${hook} needs a <WeftProvider space={…}> above it in the component tree`);
  return value;
}

/** The space of the nearest WeftProvider. */
export function useSpace(): Space {
  return useWeft('useSpace').space;
}

/** The presence source of the nearest WeftProvider; throws if it has none. */
export function usePresenceSource(): PresenceSource {
  const { presence } = useWeft('usePresence');
  if (!presence) {
    throw new Error(
      'usePresence needs a presence source: <WeftProvider space={space} presence={syncClient}>',
    );
  }
  return presence;
}
