// The BOT explorer inside the real VS Code against a large emulator fixture: every level and count,
// "Load more…" to the last job, the filter, refresh keeping ids, errors where they happen, menus that
// match the rows, and jobs patched in while they run.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { JOB_PAGE_SIZE, type BotKey } from '../../src/core/explorerData';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import type { TreeNode } from '../../src/views/treeNode';
import { generateFixture, type RunningEmulator } from '../emulator';
import { EXTENSION_ID, outputLog, setUpSuite, tearDownSuite, type Suite } from './harness';
const CONTRACTS = 20;
const BOTS = 200;
const JOBS = 45;

describe('the BOT explorer with 20 contracts × 200 BOTs', function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;

  const items = async (node?: TreeNode) => (await api.tree.getChildren(node)).map((child) => ({ node: child, item: child.getTreeItem() }));
  const find = async (label: string, node?: TreeNode) => {
    const found = (await items(node)).find(({ item }) => item.label === label);
    assert.ok(found, `a row "${label}"`);
    return found.node;
  };

  let suite: Suite;

  before(async () => {
    suite = await setUpSuite({ fixture: generateFixture({ contracts: CONTRACTS, botsPerContract: BOTS, jobsPerBot: JOBS }) });
    ({ emulator, api, sessionId } = suite);
    await vscode.commands.executeCommand('workbench.view.extension.cloudbot');
  });

  afterEach(async () => {
    emulator.faults.clear();
    await vscode.commands.executeCommand('cloudbot.clearFilter');
  });

  after(() => tearDownSuite(suite));

  it('shows the first level: every contract, in the time measured here', async () => {
    api.tree.reload();
    const started = performance.now();
    const contracts = await items();
    // A figure for the closing note, not an assertion: speed is measured, never asserted in tests.
    console.log(`explorer: first level of ${contracts.length} contracts in ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal(contracts.length, CONTRACTS);
    assert.deepEqual(contracts.map(({ item }) => item.label), Array.from({ length: CONTRACTS }, (_, i) => `gen${String(i + 1).padStart(2, '0')}`));
    assert.ok(contracts.every(({ item }) => item.contextValue === 'contract' && item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed));
  });

  it('lists every BOT of a contract, and a BOT\'s newest jobs with "Load more…" reaching every job', async () => {
    const bots = await items(await find('gen07'));
    assert.equal(bots.length, BOTS);
    assert.ok(bots.every(({ item }) => item.contextValue === 'bot'));
    const bot = bots.find(({ item }) => item.label === 'BOT 7-42')!.node;
    let rows = await items(bot);
    assert.equal(rows.length, JOB_PAGE_SIZE + 1);
    for (;;) {
      const last = rows.at(-1)!.item;
      if (last.contextValue !== 'loadMore') break;
      await vscode.commands.executeCommand(last.command!.command, ...(last.command!.arguments ?? []));
      rows = await items(bot);
    }
    const jobs = rows.map(({ item }) => item);
    assert.equal(jobs.length, JOBS);
    assert.equal(new Set(jobs.map((job) => job.id)).size, JOBS);
    assert.ok(jobs.every((job) => /^job (running|finished)$/.test(String(job.contextValue))));
    assert.ok(jobs.every((job) => typeof job.description === 'string' && job.description.length > 0), 'status and elapsed time as description');
  });

  it('filters BOTs by name or ID, shows it, remembers it, and clears', async () => {
    await vscode.commands.executeCommand('cloudbot.filterBots', 'BOT 3-17');
    const contracts = await items();
    assert.deepEqual(contracts.map(({ item }) => [item.label, item.description]), [['gen03', '11 matching']]);
    assert.equal((await items(contracts[0].node)).length, 11);
    assert.equal(api.tree.view?.description, 'Filter: BOT 3-17');
    assert.match(String(api.tree.view?.message), /contains "BOT 3-17"/);
    assert.equal(api.tree.filter(), 'BOT 3-17');
    await vscode.commands.executeCommand('cloudbot.filterBots', 'no such BOT');
    assert.deepEqual(await items(), []);
    assert.equal(api.tree.view?.message, undefined, 'the welcome content says nothing matches, with Clear Filter');
    await vscode.commands.executeCommand('cloudbot.filterBots', 'bot_0199');
    assert.equal((await items()).length, CONTRACTS, 'an ID matches in every contract');
    await vscode.commands.executeCommand('cloudbot.clearFilter');
    assert.equal(api.tree.view?.description, undefined);
    assert.equal(api.tree.view?.message, undefined);
    assert.equal((await items()).length, CONTRACTS);
  });

  it('keeps every row id on refresh, so expanded rows stay expanded, and fetches afresh', async () => {
    const contract = await find('gen01');
    const before = (await items(contract)).map(({ item }) => item.id);
    emulator.reset();
    await vscode.commands.executeCommand('cloudbot.refresh');
    const after = (await items(await find('gen01'))).map(({ item }) => item.id);
    assert.deepEqual(after, before);
    assert.equal(emulator.requests.filter((r) => r.path === '/gen01/bots').length, 1, 'fetched again after refresh');
    await items(await find('gen01'));
    assert.equal(emulator.requests.filter((r) => r.path === '/gen01/bots').length, 1, 'then cached');
  });

  it('marks a refused contract and a failing one where they are, while the others load', async () => {
    await vscode.commands.executeCommand('cloudbot.refresh');
    emulator.faults.add({ path: '^/gen02/bots$', status: 403 });
    emulator.faults.add({ path: '^/gen04/bots$', status: 500 });
    const refused = (await items(await find('gen02'))).map(({ item }) => item);
    assert.equal(refused.length, 1);
    assert.equal(refused[0].contextValue, 'message error');
    assert.match(String(refused[0].label), /permission, or the contract has External Connections turned off/);
    const marked = (await find('gen02')).getTreeItem();
    assert.deepEqual([marked.description, marked.contextValue], ['No access (403)', 'contract failed'], 'the contract row itself is marked');
    const failing = (await items(await find('gen04'))).map(({ item }) => item);
    assert.match(String(failing[0].label), /server error \(500\)/);
    assert.equal(failing[0].command?.command, 'cloudbot.refresh', 'the error row retries');
    assert.equal((await items(await find('gen03'))).length, BOTS);
    emulator.faults.clear();
    const gen04 = await find('gen04');
    await vscode.commands.executeCommand('cloudbot.refresh', gen04);
    assert.equal((await items(gen04)).length, BOTS, 'a refresh of the row recovers it');
  });

  it('leaves the top level to the welcome content when it cannot load, says why in the log, and recovers on Retry', async () => {
    emulator.faults.add({ path: '^/services/contracts$', status: 500 });
    await vscode.commands.executeCommand('cloudbot.refresh');
    assert.deepEqual(await items(), []);
    const logged = async () => /Could not list the contracts: listContracts: HTTP 500/.test(await outputLog());
    for (let waited = 0; !(await logged()) && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(await logged());
    emulator.faults.clear();
    await vscode.commands.executeCommand('cloudbot.refresh');
    assert.equal((await items()).length, CONTRACTS);
  });

  it('asks once to sign in again when the credentials are rejected, however many rows fail', async () => {
    await vscode.commands.executeCommand('cloudbot.refresh');
    emulator.faults.add({ path: '^/gen0[89]/bots$', status: 401 });
    const rows = [...(await items(await find('gen08'))), ...(await items(await find('gen09')))].map(({ item }) => item);
    assert.ok(rows.every((row) => row.contextValue === 'message error' && /rejected the credentials \(401\)/.test(String(row.label))));
    // The channel reaches its file a moment later: wait for the line, then count.
    const prompts = async () => (await outputLog()).split('asking once to sign in again').length - 1;
    for (let waited = 0; (await prompts()) === 0 && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await prompts(), 1);
  });

  it('has context values that select exactly the menu entries meant for each row', async () => {
    const menus = (vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { menus: Record<string, { command: string; when?: string }[]> } })
      .contributes.menus['view/item/context'];
    const commandsFor = (contextValue: string) =>
      [...new Set(menus.filter((entry) => {
        const pattern = /viewItem =~ \/(.+)\/$/.exec(entry.when ?? '')?.[1];
        return pattern !== undefined && new RegExp(pattern).test(contextValue);
      }).map((entry) => entry.command))].sort();
    const contract = await find('gen01');
    const bot = (await items(contract))[0];
    const job = (await items(bot.node))[0];
    assert.deepEqual(commandsFor(String((await find('gen01', undefined)).getTreeItem().contextValue)), ['cloudbot.openInConsole', 'cloudbot.refresh']);
    assert.deepEqual(commandsFor(String(bot.item.contextValue)), [
      'cloudbot.copyExecutionEndpoint',
      'cloudbot.createInputFile',
      'cloudbot.executeBot',
      'cloudbot.executeForEachRow',
      'cloudbot.executeWithInputFile',
      'cloudbot.openInConsole',
      'cloudbot.refresh',
      'cloudbot.setExecuteOptions',
      'cloudbot.showBotDetails',
    ]);
    assert.equal(job.item.contextValue, 'job finished');
    assert.deepEqual(commandsFor('job finished'), [
      'cloudbot.compareWithPrevious',
      'cloudbot.compareWithSelected',
      'cloudbot.copyJobReferenceEndpoint',
      'cloudbot.exportJobOutput',
      'cloudbot.openInConsole',
      'cloudbot.openJobResult',
      'cloudbot.recordExpectations',
      'cloudbot.rerunJob',
      'cloudbot.rerunWithEdits',
      'cloudbot.selectForCompare',
      'cloudbot.showJobResult',
      'cloudbot.useOutputAsInput',
    ]);
    assert.deepEqual(commandsFor('job running'), [
      'cloudbot.copyJobReferenceEndpoint',
      'cloudbot.openInConsole',
      'cloudbot.openJobResult',
      'cloudbot.rerunJob',
      'cloudbot.rerunWithEdits',
      'cloudbot.showJobResult',
      'cloudbot.suspendJob',
      'cloudbot.watchLive',
    ]);
    assert.deepEqual(commandsFor('loadMore'), []);
    assert.deepEqual(commandsFor('message error'), []);
  });

  it('keeps a running job started elsewhere up to date while its row is shown, then stops polling', async () => {
    const bot = (await items(await find('gen06')))[1];
    await items(bot.node);
    const client = api.cloudBot.clientFor(sessionId);
    const { job } = await client.executeBot('gen06', 'bot_0002', { input: { Message: 'elsewhere' } });
    const ref = { sessionId, publicId: 'gen06', jobId: job.job_id };
    // The row learns of the job by a refresh of the row, as the user would do.
    const finished = new Promise<void>((resolve) => {
      const subscription = api.store.onDidChange(({ entry, ended }) => {
        if (!ended || entry.ref.jobId !== job.job_id) return;
        subscription.dispose();
        resolve();
      });
    });
    await vscode.commands.executeCommand('cloudbot.refresh', bot.node);
    const [running] = await items(bot.node);
    assert.equal(running.item.contextValue, 'job running');
    assert.equal(api.tree.watchedRows, 1);
    assert.equal(api.store.get(ref)?.watching, true);
    await finished;
    const [done] = await items(bot.node);
    assert.equal(done.item.id, `${sessionId}/gen06/jobs/${job.job_id}`);
    assert.equal(done.item.contextValue, 'job finished');
    assert.equal(api.tree.watchedRows, 0);
    assert.equal(api.store.get(ref)?.watching, false);
  });

  it('adds an account level when several accounts are signed in', async () => {
    const second = emulator.tokens[1];
    const other = await api.auth.signInWithAccessToken(second.accessToken, second.secretKey);
    try {
      const accounts = await items();
      assert.deepEqual(accounts.map(({ item }) => item.contextValue), ['account', 'account']);
      assert.deepEqual(accounts.map(({ item }) => item.id).sort(), [sessionId, other.id].sort());
      assert.equal((await items(accounts[0].node)).length, CONTRACTS);
    } finally {
      await api.auth.removeSession(other.id);
    }
    assert.equal((await items()).length, CONTRACTS, 'back to contracts at the top');
  });

  it('shows a job executed from VS Code at the top of its BOT, updated to its end', async () => {
    const bot = (await items(await find('gen05')))[0];
    const key: BotKey = { sessionId, publicId: 'gen05', botId: 'bot_0001' };
    await items(bot.node);
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: '{"Message": "tree"}' });
    await vscode.window.showTextDocument(document);
    const job = await vscode.commands.executeCommand<Job>('cloudbot.executeBot', key);
    assert.equal(job.status, 0);
    const [top] = await items(bot.node);
    assert.equal(top.item.id, `${sessionId}/gen05/jobs/${job.job_id}`);
    assert.equal(top.item.contextValue, 'job finished');
    assert.equal(emulator.requests.filter((r) => r.path === '/gen05/bots/bot_0001/jobs' && r.method === 'GET').length, 1, 'patched in, not fetched again');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
