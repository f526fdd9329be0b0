// The extension loads in a real VS Code, registers its commands and contributes its views, sign-in
// provider and settings as the manifest promises.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

import { EXTENSION_ID } from './harness';
const COMMANDS = ['cloudbot.signIn', 'cloudbot.signOut', 'cloudbot.refresh', 'cloudbot.executeBot', 'cloudbot.referJob', 'cloudbot.suspendJob'];
const SETTINGS = ['apiBaseUrl', 'oauthBaseUrl', 'oauth.clientId', 'oauth.redirectUri', 'oauth.loopbackPort', 'language'];

interface Manifest {
  contributes: {
    viewsContainers: { activitybar: { id: string; title: string }[] };
    views: Record<string, { id: string }[]>;
    authentication: { id: string; label: string }[];
  };
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is not installed in the test instance`);
  return found;
}

describe('activation', () => {
  before(async () => {
    await extension().activate();
  });

  it('activates', () => {
    assert.equal(extension().isActive, true);
  });

  it('opens no walkthrough over the workbench on its first activation, as workbench.welcomePage.walkthroughs.openOnInstall is off', async () => {
    assert.equal(vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get('openOnInstall'), false);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // The walkthrough is an editor VS Code does not describe to extensions.
    assert.deepEqual(vscode.window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input === undefined).map((tab) => tab.label), []);
  });

  it('registers the six core commands and every command it contributes', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (extension().packageJSON as { contributes: { commands: { command: string }[] } }).contributes.commands.map((c) => c.command);
    assert.deepEqual(COMMANDS.filter((command) => !contributed.includes(command)), []);
    assert.deepEqual(contributed.filter((command) => !registered.has(command)), []);
  });

  it('contributes the Cloud BOT view container with the BOTs view', async () => {
    const { contributes } = extension().packageJSON as Manifest;
    assert.ok(contributes.viewsContainers.activitybar.some((container) => container.id === 'cloudbot' && container.title === 'Cloud BOT'));
    assert.deepEqual(contributes.views.cloudbot.map((view) => view.id), ['cloudbot.bots']);
    // The workbench registers these commands only for containers and views it actually created.
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.ok(registered.has('workbench.view.extension.cloudbot'), 'view container not created');
    assert.ok(registered.has('cloudbot.bots.focus'), 'view not created');
  });

  it('contributes the cloudbot authentication provider', () => {
    const { contributes } = extension().packageJSON as Manifest;
    assert.deepEqual(contributes.authentication.map((provider) => provider.id), ['cloudbot']);
  });

  it('contributes its settings with their defaults', () => {
    const config = vscode.workspace.getConfiguration('cloudbot');
    const defaults = Object.fromEntries(SETTINGS.map((key) => [key, config.inspect(key)?.defaultValue]));
    assert.deepEqual(defaults, {
      apiBaseUrl: 'https://api.c-bot.pro',
      oauthBaseUrl: 'https://console.c-bot.pro',
      'oauth.clientId': null,
      'oauth.redirectUri': '',
      'oauth.loopbackPort': 33418,
      language: 'auto',
    });
  });
});
