// The few platform APIs the core uses. All exist in browsers, workers, Node, Deno and Bun;
// declaring them here (instead of pulling in DOM or Node types) keeps the core honest.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
  encodeInto(source: string, destination: Uint8Array): { read: number; written: number };
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
declare const crypto: { getRandomValues<T extends Uint8Array>(array: T): T };
interface String {
  /** ES2024; in every engine Weft supports (Node 20, current browsers). */
  isWellFormed(): boolean;
}
declare function structuredClone<T>(value: T): T;
declare function queueMicrotask(callback: () => void): void;
declare function setTimeout(callback: () => void, ms?: number): unknown;
