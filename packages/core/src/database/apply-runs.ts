import type { HybridClock } from '../clocks/hlc.js';
import type { DocEdit } from '../document/ops.js';
import { checkRunEdits, decodeRunEdits, RunEditsReader } from '../document/run-edits.js';
import type { SpaceState, TouchedDoc } from '../document/space-state.js';
import type { ChangeLog } from '../log/change-log.js';
import type { Run } from '../log/run.js';

/** What a space's received runs go into. */
export interface RunTarget {
  readonly state: SpaceState;
  readonly log: ChangeLog;
  readonly clock: HybridClock;
  /** This replica's actor: its own runs coming back (from storage) do not move the clock. */
  readonly actor: string;
}

/**
 * Adds runs from another replica (or from storage) to a space's log and state: each is
 * verified first (payloads decoded, clock checked), so a bad run throws changing nothing; the
 * runs before it stay applied. Runs waiting for deps are applied once those arrive. Returns
 * the documents the applied runs touched, in the order touched (a document may recur).
 */
export function applyRuns(target: RunTarget, runs: Iterable<Run>): readonly TouchedDoc[] {
  const { state, log, clock } = target;
  // Mostly one change: its edits (which name their documents) are the answer, not copied.
  let touched: readonly TouchedDoc[] = NONE;
  let gathering: TouchedDoc[] | undefined;
  for (const run of runs) {
    const decoded = checkedEdits(run, state);
    const last = run.changes[run.changes.length - 1];
    if (last && run.actor !== target.actor)
      clock.receive({ wall: last.wall, logical: last.logical, actor: run.actor });
    const { applied } = log.add(run);
    for (const r of applied) {
      const kept = r === run ? decoded : checkedEdits(r, state);
      const edits = kept ? undefined : new RunEditsReader(r.actor, state);
      const actor = state.index(r.actor);
      const changes = r.changes;
      for (let i = 0; i < changes.length; i++) {
        const c = changes[i]!;
        const ops = kept ? kept[i]! : edits!.next(c.payload);
        const docs = state.applyChange(actor, c.wall, c.logical, ops);
        if (touched.length === 0) touched = docs;
        else {
          gathering ??= [...touched];
          for (const doc of docs) {
            // A run of typing touches one document per change: listed once, not per keystroke.
            const last = gathering[gathering.length - 1]!;
            if (doc.id !== last.id || doc.collection !== last.collection) gathering.push(doc);
          }
          touched = gathering;
        }
      }
      const end = changes[changes.length - 1]!;
      clock.advanceTo({ wall: end.wall, logical: end.logical, actor: r.actor });
    }
  }
  return touched;
}

const NONE: readonly TouchedDoc[] = [];

/** Runs of up to this many changes keep their edits decoded from the check to the apply. */
const KEEP_DECODED_CHANGES = 64;

/**
 * Decodes a received run's payloads (throwing DecodeError on bad bytes): returns them for a
 * short run, to apply without decoding twice; a run of typing holds 100,000s of changes, and
 * keeping them all decoded at once cost more in garbage collection than decoding twice.
 */
function checkedEdits(run: Run, actors: SpaceState): DocEdit[][] | undefined {
  if (run.changes.length <= KEEP_DECODED_CHANGES) return decodeRunEdits(run, actors);
  checkRunEdits(run, actors);
  return undefined;
}
