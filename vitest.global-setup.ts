import { execFileSync } from 'node:child_process';

/** Tests that start real processes (the CLI, crash tests) run the built JavaScript: build it once. */
export default function setup(): void {
  execFileSync('npx', ['tsc', '-b'], { stdio: 'inherit' });
}
