import { execFileSync } from 'node:child_process';

/**
 * Tests that start real processes (the CLI, crash tests) run the built JavaScript: build it
 * once. WEFT_SKIP_BUILD=1 skips it when the build is known to be current.
 */
export default function setup(): void {
  if (process.env.WEFT_SKIP_BUILD) return;
  execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
}
