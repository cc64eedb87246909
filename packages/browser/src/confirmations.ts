import type { VersionVector } from '@weft/core';

/**
 * A tab's writes resolve once the hub has stored them: the hub's acks carry its durable
 * version vector, and the tab's own seq in it confirms every write up to that seq.
 */
export class Confirmations {
  private confirmed = 0;
  private waiting: { seq: number; resolve: () => void }[] = [];

  constructor(private readonly actor: string) {}

  wait(seq: number): Promise<void> {
    if (seq <= this.confirmed) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ seq, resolve }));
  }

  acked(vector: VersionVector): void {
    const seq = vector.get(this.actor) ?? 0;
    if (seq <= this.confirmed) return;
    this.confirmed = seq;
    const due = this.waiting.filter((w) => w.seq <= seq);
    this.waiting = this.waiting.filter((w) => w.seq > seq);
    for (const w of due) w.resolve();
  }
}
