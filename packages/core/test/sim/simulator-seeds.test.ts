import { seedRuns } from './seeds.js';

// The second half of the default run's seeds (the first is in simulator.test.ts), in a file of
// its own so that vitest runs the two halves in parallel.
seedRuns('packages/core/test/sim/simulator-seeds.test.ts', 1, 2);
