import type { DocNode } from '../document/node.js';
import type { DocOp } from '../document/ops.js';
import type { ActorNames } from '../document/read.js';
import type { Transaction } from './transaction.js';

/** What a collection needs from its space (the Space class provides it). */
export interface CollectionHost {
  write<R>(body: (tx: Transaction) => R): { result: R; durable: Promise<void> };
  readonly transaction: Transaction | undefined;
  node(collection: string, id: string): DocNode | undefined;
  actorNames(): ActorNames;
  /** The local actor's index. */
  readonly localActor: number;
  /** See Space.writeInPlace. */
  writeInPlace(
    collection: string,
    id: string,
    plan: (node: DocNode | undefined) => DocOp | undefined,
  ): Promise<void>;
  /** See Space.spliceTextInPlace. */
  spliceTextInPlace(
    collection: string,
    id: string,
    path: string,
    index: number,
    deleteCount: number,
    text: string,
  ): Promise<void> | undefined;
}
