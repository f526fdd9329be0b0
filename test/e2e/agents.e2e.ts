// An agent's call of Cloud BOT's execute tool as the person sees it: VS Code's own confirmation, naming
// the account, contract, BOT and exact input. Cancel runs nothing; the confirm button runs the BOT once.
// The agent is the agent-probe test extension (fixtures/agent-probe). Screenshots: .test-artifacts/e2e/agents-*.png.
import * as assert from 'node:assert/strict';
import { openUiSession, type UiSession } from './session';

describe('an agent\'s tool call, as the person confirms it', function () {
  this.timeout(240_000);
  let ui: UiSession;

  before(async () => {
    ui = await openUiSession('agents', {}, {}, { fixtures: ['agent-probe'] });
    await ui.signIn();
  });

  after(() => ui?.close());

  const posts = () => ui.emulator.requests.filter((r) => r.method === 'POST' && r.origin === 'api').length;
  const dialog = () => ui.page.locator('.monaco-dialog-box');

  it('shows what would run, and runs nothing when cancelled', async () => {
    await ui.steps.runCommand(ui.page, 'Agent Probe: Execute Echo BOT Through Cloud BOT\'s Tool');
    await dialog().waitFor({ timeout: 60_000 });
    await dialog().getByText('Execute Echo BOT in Cloud BOT?').waitFor();
    await dialog().getByText('"Message": "From the agent probe"').waitFor();
    await dialog().getByText('Contract: example1').waitFor();
    await ui.shot('01-confirmation');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await ui.steps.notification(ui.page, 'Agent probe call ended').waitFor({ timeout: 30_000 });
    await ui.shot('02-cancelled');
    assert.equal(posts(), 0, 'nothing was executed');
  });

  it('runs the BOT once when confirmed, and hands its result to the agent', async () => {
    await ui.steps.runCommand(ui.page, 'Agent Probe: Execute Echo BOT Through Cloud BOT\'s Tool');
    await dialog().waitFor({ timeout: 60_000 });
    const buttons = await dialog().getByRole('button').allInnerTexts();
    const confirm = buttons.find((text) => text.trim() && !/cancel/i.test(text));
    assert.ok(confirm, `a confirm button among ${buttons.join(', ')}`);
    await dialog().getByRole('button', { name: confirm.trim() }).first().click();
    await ui.steps.notification(ui.page, 'Agent probe got: Job').waitFor({ timeout: 60_000 });
    await ui.shot('03-confirmed');
    assert.equal(posts(), 1, 'executed once');
    assert.equal(ui.emulator.jobs()[0].bot_id, 'echo');
  });
});
