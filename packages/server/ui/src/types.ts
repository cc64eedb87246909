// The shapes of the inspector API's answers (packages/server/src/inspect/api-*.ts).

export interface VectorEntry {
  actor: string;
  seq: number;
}

export interface Status {
  mode: 'server' | 'local';
  replicaId: string;
  dataDir: string;
  fileBytes: number;
  startedAt: number;
  now: number;
  spaces: number;
  clients: number;
}

export interface SpaceItem {
  name: string;
  clients: number;
  presence: number;
}

export interface SpaceSummary {
  name: string;
  collections: { name: string; documents: number }[];
  documents: number;
  changes: number;
  runs: number;
  pending: number;
  storage: { log: number; snapshot: number };
  heads: number;
  clients: number;
}

export interface DocPage {
  total: number;
  limit: number;
  docs: { id: string; preview: string; chars: number }[];
  nextCursor: string | null;
}

export interface Conflict {
  value: unknown;
  actor: string;
  wall: number;
  logical: number;
  winner: boolean;
}

export interface DocDetail {
  id: string;
  deleted: boolean;
  doc: Record<string, unknown> | null;
  conflicts: Record<string, Conflict[]>;
}

export interface HistoryEntry {
  actor: string;
  seq: number;
  run: string;
  wall: number;
  logical: number;
  ops: string[];
}

export interface Dag {
  heads: string[];
  vector: VectorEntry[];
  changes: number;
  runs: number;
  pending: number;
  recentRuns: {
    hash: string;
    actor: string;
    seq: number;
    count: number;
    deps: string[];
    wall: number;
    logical: number;
  }[];
}

export interface Client {
  id: number;
  space: string;
  client: string;
  address: string | null;
  connectedAt: number;
  canWrite: boolean;
  known: VectorEntry[];
  behind: number;
  queuedMessages: number;
  bufferedBytes: number;
  upToDate: boolean;
}

export interface Presence {
  client: string;
  state: unknown;
  connected: boolean;
  expiresAt?: number;
}

export interface Clients {
  clients: Client[];
  presence?: Presence[];
}
