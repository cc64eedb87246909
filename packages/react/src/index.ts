// @weft/react: React bindings for Weft. A <WeftProvider> gives components a space; hooks read
// it live (useQuery, useDocument) and share presence (usePresence).

export { useSpace, WeftProvider, type WeftProviderProps } from './context.js';
export type { PresenceSource } from './presence-source.js';
export { useDocument } from './use-document.js';
export { usePresence } from './use-presence.js';
export { useQuery } from './use-query.js';
