// The thin loop as a person does it, in a real workbench (code-server + chromium): the welcome view,
// signing in with an access token, the BOT tree, executing the echo BOT on an input file from the
// palette, and bad JSON refused. Screenshots: .test-artifacts/e2e/loop-*.png.
import * as assert from 'node:assert/strict';
import { openUiSession, type UiSession } from './session';

describe('the Cloud BOT loop, as a person does it', function () {
  this.timeout(180_000);
  let ui: UiSession;

  before(async () => {
    ui = await openUiSession('loop', {
      'echo.input.json': JSON.stringify({ Message: 'Hello from the UI test' }, null, 2),
      'broken.input.json': '{\n  "Message": "no closing quote\n}\n',
    });
  });

  after(() => ui?.close());

  it('shows the welcome view with both ways to sign in while signed out', async () => {
    await ui.steps.openCloudBotView(ui.page);
    const welcome = ui.page.locator('.welcome-view-content');
    await welcome.getByRole('button', { name: 'Sign in with Cloud BOT' }).waitFor();
    await welcome.getByRole('button', { name: 'Use an Access Token' }).waitFor();
    assert.match(await welcome.innerText(), /Sign in to Cloud BOT/);
    await ui.shot('01-welcome');
  });

  it('signs in with an access token and lists the contracts', async () => {
    const token = ui.emulator.tokens.find((t) => t.username === 'user@example.com' && t.permissions.includes('execute'))!;
    await ui.steps.signInWithAccessToken(ui.page, token);
    for (const contract of ['example1', 'example2', 'example3']) await ui.steps.treeRow(ui.page, contract).waitFor();
    await ui.shot('02-contracts');
  });

  it('lists the BOTs of a contract', async () => {
    await ui.steps.expandRow(ui.page, 'example1');
    await ui.steps.treeRow(ui.page, 'Echo BOT').waitFor();
    await ui.steps.treeRow(ui.page, 'Long-running BOT').waitFor();
    await ui.shot('03-bots');
  });

  it('executes the echo BOT with the open input file and shows the result', async () => {
    await ui.steps.openFile(ui.page, 'echo.input.json');
    await ui.steps.runCommand(ui.page, 'Cloud BOT: Execute BOT', 'example1 / echo');
    await ui.steps.notification(ui.page, 'Echo BOT: succeeded').waitFor({ timeout: 60_000 });
    await ui.shot('04-executed');
    const [job] = ui.emulator.jobs();
    assert.equal(job.status, 0);
    assert.deepEqual(job.input, { Message: 'Hello from the UI test' });
  });

  it('refuses bad JSON with its line and column, and sends nothing', async () => {
    const before = ui.emulator.jobs().length;
    await ui.steps.openFile(ui.page, 'broken.input.json');
    await ui.steps.runCommand(ui.page, 'Cloud BOT: Execute BOT', 'example1 / echo');
    await ui.steps.notification(ui.page, 'Invalid JSON at line 2').waitFor();
    await ui.shot('05-bad-json');
    assert.equal(ui.emulator.jobs().length, before);
  });
});
