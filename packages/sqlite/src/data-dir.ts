import { homedir } from 'node:os';
import { posix, win32 } from 'node:path';

/**
 * The usual directory for an application's data on this platform:
 * - Linux and other Unixes: `$XDG_DATA_HOME/<appName>`, else `~/.local/share/<appName>`;
 * - macOS: `~/Library/Application Support/<appName>`;
 * - Windows: `%APPDATA%\<appName>`, else `%USERPROFILE%\AppData\Roaming\<appName>`.
 * `WEFT_DATA_DIR`, when set, wins and is returned as it is (no `<appName>` added).
 * `env` and `platform` are parameters so tests (and tools) can ask about other platforms.
 */
export function defaultDataDir(
  appName = 'weft',
  env: Readonly<Record<string, string | undefined>> = process.env,
  platform: NodeJS.Platform = process.platform,
): string {
  const override = env.WEFT_DATA_DIR;
  if (override) return override;
  if (platform === 'win32') {
    const appData = env.APPDATA || win32.join(env.USERPROFILE || homedir(), 'AppData', 'Roaming');
    return win32.join(appData, appName);
  }
  const home = env.HOME || homedir();
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', appName);
  // The XDG spec says a relative XDG_DATA_HOME is invalid and must be ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && posix.isAbsolute(xdg) ? xdg : posix.join(home, '.local', 'share');
  return posix.join(base, appName);
}
