// What a person does in the workbench, as Playwright steps shared by the UI tests and `npm run demo --check`.
// Selectors follow shared/vscode-testing.md. Secrets are typed with insertText so that no Playwright
// call log ever repeats them.

const TIMEOUT = 30_000;

export async function openCloudBotView(page) {
  await page.locator('.activitybar a.action-label[aria-label^="Cloud BOT"]').click({ timeout: 60_000 });
  await page.locator('[id="workbench.view.extension.cloudbot"] .pane-body').waitFor({ timeout: TIMEOUT });
}

/** The quick input box, once it shows `prompt` (a part of its message text). */
export async function answerInputBox(page, promptPart, value) {
  const widget = page.locator('.quick-input-widget');
  await widget.filter({ hasText: promptPart }).waitFor({ timeout: TIMEOUT });
  const input = widget.locator('input.input').first();
  await input.focus();
  await page.keyboard.insertText(value);
  await page.keyboard.press('Enter');
}

/**
 * Answers an open or save dialog, which the workbench in a browser shows as a quick input holding a
 * folder's path: the whole path replaces it, and Enter accepts it.
 */
export async function answerFileDialog(page, path) {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input').first();
  await input.waitFor({ timeout: TIMEOUT });
  // The dialog fills in its folder (and a default name) itself a moment after it shows, which would
  // replace a path typed before: wait for that, then replace it, until the path stays.
  await page.waitForFunction((element) => element.value.length > 0, await input.elementHandle(), { timeout: TIMEOUT });
  for (let tries = 0; tries < 10 && (await input.inputValue()) !== path; tries++) {
    await input.fill(path);
    await page.waitForTimeout(300);
  }
  // The dialog lists the folder as the path is typed; Enter before that would act on the old list.
  const name = path.split(/[\\/]/).pop();
  await widget.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first().waitFor({ timeout: 5_000 }).catch(() => undefined);
  await page.keyboard.press('Enter');
  await widget.waitFor({ state: 'hidden', timeout: TIMEOUT });
}

/** From the welcome view's access token button through both password boxes. */
export async function signInWithAccessToken(page, { accessToken, secretKey }) {
  await page.locator('.welcome-view-content').getByRole('button', { name: 'Use an Access Token' }).click({ timeout: TIMEOUT });
  await answerInputBox(page, 'access token', accessToken);
  await answerInputBox(page, 'Secret key', secretKey);
}

export function treeRow(page, text) {
  return page.locator('[id="workbench.view.extension.cloudbot"] .monaco-list-row').filter({ hasText: text }).first();
}

/** Expands a collapsed row (clicking an expanded one would collapse it). */
export async function expandRow(page, text) {
  const row = treeRow(page, text);
  await row.waitFor({ timeout: TIMEOUT });
  if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
}

/** Runs a command from the palette by its title, then picks `choice` if the command asks. */
export async function runCommand(page, title, choice) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input.input').first();
  await input.waitFor({ timeout: TIMEOUT });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: title }).first().waitFor({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
  if (choice) {
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: choice }).first();
    await row.click({ timeout: TIMEOUT });
  }
}

/** Opens a workspace file by name through Go to File, and waits for its tab. */
export async function openFile(page, name) {
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: name }).first();
  const deadline = Date.now() + TIMEOUT;
  // A new window's first file search can come back without the file: ask again, as a person would.
  for (;;) {
    await runCommand(page, 'Go to File');
    await page.keyboard.insertText(name);
    try {
      await row.waitFor({ timeout: Math.max(1, Math.min(10_000, deadline - Date.now())) });
      break;
    } catch (error) {
      if (Date.now() >= deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
  await page.locator('.tab.active').filter({ hasText: name }).waitFor({ timeout: TIMEOUT });
}

export function notification(page, text) {
  return page.locator('.notifications-toasts .notification-toast').filter({ hasText: text }).first();
}

/**
 * Waits until animations have finished, and the quick input has closed unless it is what the screenshot
 * is of, so that a screenshot shows a settled screen.
 */
export async function settle(page, { quickInputOpen = false } = {}) {
  if (!quickInputOpen) await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: TIMEOUT });
  // Endless ones (a progress bar) never finish; only those that end are waited for.
  await page.waitForFunction(
    () => document.getAnimations().every((animation) => animation.playState !== 'running' || animation.effect?.getComputedTiming().iterations === Infinity),
    undefined,
    { timeout: TIMEOUT },
  );
}

/**
 * The content of the webview panel titled `title` (a part of its tab's text): VS Code puts a webview in
 * an outer iframe and its document in an inner one, #active-frame.
 */
export async function webviewContent(page, title) {
  await page.locator('.tab').filter({ hasText: title }).first().click({ timeout: TIMEOUT });
  return page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
}

/** Clicks the CodeLens with this text in the active editor group's editor. */
export async function clickCodeLens(page, text) {
  await page.locator('.editor-group-container.active .codelens-decoration a').filter({ hasText: text }).first().click({ timeout: TIMEOUT });
}

/** The status bar entry with this text. */
export function statusBarItem(page, text) {
  return page.locator('.statusbar-item').filter({ hasText: text }).first();
}

/** Clicks into the first editor group, so that what opens next opens there (and keys reach the workbench). */
export async function focusFirstEditorGroup(page) {
  await page.locator('.editor-group-container').first().click({ position: { x: 200, y: 200 }, timeout: TIMEOUT });
}

/** Right-clicks a tree row and runs an entry of its context menu (hovered, then Enter, as the menu takes it). */
export async function contextMenu(page, rowText, entryText) {
  await treeRow(page, rowText).click({ button: 'right', timeout: TIMEOUT });
  const entry = page.locator('.monaco-menu .action-menu-item').filter({ hasText: entryText }).first();
  await entry.hover({ timeout: TIMEOUT });
  await page.keyboard.press('Enter');
}
