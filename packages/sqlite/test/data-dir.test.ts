import { homedir } from 'node:os';
import { describe, expect, test } from 'vitest';
import { defaultDataDir } from '../src/index.js';

describe('defaultDataDir', () => {
  test('Linux: XDG_DATA_HOME, else ~/.local/share', () => {
    expect(defaultDataDir('weft', { HOME: '/home/ada', XDG_DATA_HOME: '/data/xdg' }, 'linux')).toBe(
      '/data/xdg/weft',
    );
    expect(defaultDataDir('weft', { HOME: '/home/ada' }, 'linux')).toBe(
      '/home/ada/.local/share/weft',
    );
    // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored; so is an empty one.
    expect(defaultDataDir('notes', { HOME: '/home/ada', XDG_DATA_HOME: 'rel' }, 'linux')).toBe(
      '/home/ada/.local/share/notes',
    );
    expect(defaultDataDir('weft', { HOME: '/home/ada', XDG_DATA_HOME: '' }, 'linux')).toBe(
      '/home/ada/.local/share/weft',
    );
    expect(defaultDataDir('weft', {}, 'linux')).toBe(`${homedir()}/.local/share/weft`);
  });

  test('macOS: ~/Library/Application Support', () => {
    expect(defaultDataDir('weft', { HOME: '/Users/ada' }, 'darwin')).toBe(
      '/Users/ada/Library/Application Support/weft',
    );
    expect(defaultDataDir('notes', { HOME: '/Users/ada', XDG_DATA_HOME: '/x' }, 'darwin')).toBe(
      '/Users/ada/Library/Application Support/notes',
    );
  });

  test('Windows: %APPDATA%, else %USERPROFILE%\\AppData\\Roaming', () => {
    expect(defaultDataDir('weft', { APPDATA: 'C:\\Users\\Ada\\AppData\\Roaming' }, 'win32')).toBe(
      'C:\\Users\\Ada\\AppData\\Roaming\\weft',
    );
    expect(defaultDataDir('notes', { USERPROFILE: 'C:\\Users\\Ada' }, 'win32')).toBe(
      'C:\\Users\\Ada\\AppData\\Roaming\\notes',
    );
  });

  test('WEFT_DATA_DIR wins on every platform, as given', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const env = {
        WEFT_DATA_DIR: '/srv/weft-data',
        HOME: '/home/ada',
        XDG_DATA_HOME: '/data/xdg',
        APPDATA: 'C:\\AppData',
      };
      expect(defaultDataDir('notes', env, platform)).toBe('/srv/weft-data');
    }
  });

  test('defaults to this process', () => {
    expect(defaultDataDir()).toBe(defaultDataDir('weft', process.env, process.platform));
  });
});
