/**
 * A simulation found replicas that disagree with each other or with the oracle, or lost an
 * acknowledged write, or a protocol error. `seed` replays it.
 */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';
  constructor(
    readonly seed: number,
    /** The step at which it was found. */
    readonly step: number,
    /** What went wrong. */
    readonly problem: string,
    /** The last steps of the run, oldest first. */
    readonly trace: readonly string[],
  ) {
    super(
      `simulation with seed ${seed} failed at step ${step}: ${problem}` +
        (trace.length > 0 ? `\n  last steps:\n    ${trace.join('\n    ')}` : ''),
    );
  }
}
