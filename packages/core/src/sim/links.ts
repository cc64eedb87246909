import type { SimReplica } from './replica.js';
import type { SimState } from './state.js';

// The topology's links as sync sessions: a link the network closed (a fault) is connected
// again later with fresh sessions on both sides, as an app would reconnect.

/** Whether a and b have a connection that is open (or dead, not yet noticed). */
export function linked(sim: SimState, a: number, b: number): boolean {
  for (const c of sim.net.open()) {
    if (c.state === 'draining') continue;
    const [x, y] = c.nodes;
    if ((x === a && y === b) || (x === b && y === a)) return true;
  }
  return false;
}

/** A connection and a session on each side, if both are up and can reach each other. */
export function connect(sim: SimState, a: number, b: number): void {
  const ra = sim.replicas[a]!;
  const rb = sim.replicas[b]!;
  if (!ra.up || !rb.up || !sim.net.reachable(a, b)) return;
  const c = sim.net.connect(a, b);
  const onClose = (who: SimReplica) => (reason: string) => closed(sim, who, reason);
  // In a star the hub keeps full history and a spoke that is empty may start from its
  // snapshot; elsewhere peers serve each other history, so nobody starts from a snapshot.
  const star = sim.topology === 'star';
  ra.startSession(c, 0, star && a !== 0, onClose(ra));
  rb.startSession(c, 1, star && b !== 0, onClose(rb));
}

/** A session ended: the simulator's faults end them with a reason starting `sim: `. */
function closed(sim: SimState, who: SimReplica, reason: string): void {
  if (!reason.startsWith('sim: ')) {
    sim.problem(`a sync session of ${who.actor} closed with an error: ${reason}`);
  }
}
