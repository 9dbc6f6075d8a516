/**
 * A stand-in for VS Code in the browser tests: `acquireVsCodeApi` for the webview, and a host
 * that answers its messages the way extension/src/vscode/diagramPanel.ts does, with the real
 * (pure) engine bundled for the browser. Every message the webview posts is validated with the
 * protocol and recorded for the tests.
 */
import { snapshotOfLint } from '../../../extension/src/engine';
import { lint } from '../../../extension/src/engine';
import { isWebviewToHost, type HostToWebview, type WebviewToHost } from '../../../extension/src/protocol';
import { applyTheme } from './theme';

export interface Harness {
  /** Valid messages the webview posted, in order. */
  posted: WebviewToHost[];
  /** Messages that failed validation (a test expects none). */
  invalid: unknown[];
  /** What the webview last saved with setState. */
  state: unknown;
  /** Lints `text` and sends the webview an update (what-if cleared unless `keepFailed`). */
  load(text: string, keepFailed?: boolean): void;
  highlight(component: string | null): void;
  failed(): string[];
}

const posted: WebviewToHost[] = [];
const invalid: unknown[] = [];
const failed = new Set<string>();
let text: string | undefined;
let ready = false;

function send(message: HostToWebview): void {
  window.postMessage(message, '*');
}

function update(): void {
  if (text === undefined || !ready) return;
  const snapshot = snapshotOfLint(lint(text), failed);
  if (snapshot) send({ type: 'update', documentUri: 'harness://sample.arch.yaml', title: 'Diagram: sample', snapshot });
}

function handle(message: WebviewToHost): void {
  switch (message.type) {
    case 'ready':
      ready = true;
      update();
      break;
    case 'toggleFail':
      if (failed.has(message.component)) failed.delete(message.component);
      else failed.add(message.component);
      update();
      break;
    case 'resetFailures':
      failed.clear();
      update();
      break;
    default:
      break;
  }
}

const harness: Harness = {
  posted,
  invalid,
  state: undefined,
  load(next, keepFailed = false) {
    text = next;
    if (!keepFailed) failed.clear();
    update();
  },
  highlight(component) {
    send({ type: 'highlight', component });
  },
  failed: () => [...failed],
};

const query = new URLSearchParams(location.search);
applyTheme(query.get('theme') === 'dark' ? 'dark' : 'light', query.get('editor-font-size'));

const initial = sessionStorage.getItem('archlint-state');
if (initial) harness.state = JSON.parse(initial);

(window as unknown as { archlintHarness: Harness }).archlintHarness = harness;
(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage(message: unknown) {
    // Structured clone, as VS Code does: the host never sees the webview's live objects.
    const copy = structuredClone(message);
    if (!isWebviewToHost(copy)) {
      invalid.push(copy);
      return;
    }
    posted.push(copy);
    handle(copy);
  },
  getState: () => harness.state,
  setState(state: unknown) {
    harness.state = structuredClone(state);
    sessionStorage.setItem('archlint-state', JSON.stringify(state));
  },
});
