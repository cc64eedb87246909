// @weft/browser-test: Weft's tests in a real Chromium (Node side). Pages import
// '@weft/browser-test/page'. See README.md in this package.

export { type BundleResult, bundle } from './bundle.js';
export {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  chromiumAvailable,
  type LaunchedChromium,
  launchChromium,
} from './chromium.js';
export { type BrowserHarness, call, inPageTests, reload, startBrowserHarness } from './harness.js';
export { type StaticServer, serveFiles } from './static-server.js';
