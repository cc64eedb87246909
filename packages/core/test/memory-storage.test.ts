import { describe, test } from 'vitest';
import { MemoryStorage, runStorageAcceptance } from '../src/index.js';

runStorageAcceptance('memory', { describe, test }, { open: async () => new MemoryStorage() });
