// In-page side of @weft/browser-test: imported by the entries that tests bundle into pages.

export { type CollectedTests, collectTests } from './collect.js';
export { expose, exposeTests, type PageTestResult } from './expose.js';
