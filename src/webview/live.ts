// The live page: a job's cast in a frame, or what the host says instead, with its buttons. Like the
// other pages it builds its DOM from text only; the frame shows only what the page's CSP lets in (the
// cast's origin), sandboxed so that the cast can neither navigate VS Code's page nor open windows.
import { button, el, isPlainObject } from './dom';
import type { LiveAction, LiveFromPage, LiveInitialData, LiveView } from './liveProtocol';

const vscode = acquireVsCodeApi<LiveFromPage, unknown>();
const initial = JSON.parse(document.getElementById('initial-data')?.textContent ?? '{}') as LiveInitialData;

const root = document.getElementById('root') ?? document.body;
root.setAttribute('aria-live', 'off');
const heading = el('h1', 'bot-label');
const toolbar = el('div', 'actions');
const notice = el('p', 'empty');
notice.setAttribute('role', 'status');
const frame = el('iframe', 'cast-frame');
frame.sandbox.add('allow-scripts', 'allow-same-origin');
frame.referrerPolicy = 'no-referrer';
const header = el('header', 'live-header');
header.append(heading, toolbar);
root.className = 'live';
root.replaceChildren(header, notice);

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  if (isPlainObject(data) && data.type === 'show' && isPlainObject(data.view)) render(data.view as unknown as LiveView);
});
render(initial.view);
vscode.postMessage({ type: 'ready' });

function render(view: LiveView): void {
  heading.textContent = view.title;
  frame.title = view.title;
  toolbar.replaceChildren(...view.actions.filter((action) => action in initial.strings).map(actionButton));
  notice.textContent = view.message;
  notice.hidden = !view.message;
  if (typeof view.frame === 'string') {
    // The same cast stays as it is; a new URL of the same origin is loaded in place.
    if (frame.getAttribute('src') !== view.frame) frame.src = view.frame;
    if (!frame.isConnected) root.append(frame);
  } else {
    frame.remove();
    frame.removeAttribute('src');
  }
}

function actionButton(action: LiveAction): HTMLButtonElement {
  return button(initial.strings[action], action === 'showResult' ? 'primary' : 'secondary', action, () => vscode.postMessage({ type: action }));
}
