// Watch Live inside the real VS Code, against the emulator: a running job's cast framed beside its
// result under a CSP that lets in the cast's origin alone, the fallback when the cast page refuses
// frames, a cast URL that is not http(s), the job's end (with and without closing), and a running
// job's time against its BOT's usual run time.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { JobRef } from '../../src/core/refs';
import type { Job } from '../../src/core/types';
import type { CloudBotTestApi } from '../../src/extension';
import type { BotNode } from '../../src/views/botNode';
import type { JobNode } from '../../src/views/jobNode';
import type { LivePanel } from '../../src/views/livePanel';
import type { LiveState } from '../../src/webview/liveProtocol';
import type { RenderReport } from '../../src/webview/protocol';
import type { RunningEmulator } from '../emulator';
import { eventually, fixtureWithEchoBot } from '../emulator/testing';
import { closeEditors, openJson, setUpSuite, tearDownSuite, type Suite } from './harness';

/** The directives of the CSP in a page's HTML, by name. */
function cspOf(html: string): Map<string, string[]> {
  const content = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(content, 'the page has a CSP');
  return new Map(content.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...sources]) => [name, sources]));
}

const liveTabs = () => vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => tab.label.startsWith('Live: ')).map((tab) => ({ tab, group })));

describe('Watch Live', function () {
  this.timeout(60_000);
  let suite: Suite;
  let emulator: RunningEmulator;
  let api: CloudBotTestApi;
  let sessionId: string;
  const executions: Promise<Job | undefined>[] = [];

  before(async () => {
    // Two successful runs of long_running in Cloud BOT's history: 38 s and 46 s, usually 42 s. And a
    // BOT that never ran.
    const fixture = fixtureWithEchoBot('slow', 600_000);
    for (const [day, elapsedTime] of [[1, 38], [2, 46]]) fixture.jobs!.push({ publicId: 'example1', botId: 'long_running', status: 0, startTime: `2026-01-0${day}T00:00:00Z`, elapsedTime });
    suite = await setUpSuite({ fixture });
    ({ emulator, api, sessionId } = suite);
  });
  after(() => tearDownSuite(suite));
  beforeEach(async () => {
    emulator.reset();
    await closeEditors();
  });
  afterEach(async () => {
    await vscode.workspace.getConfiguration('cloudbot').update('watchLive.closeWhenJobEnds', undefined, vscode.ConfigurationTarget.Global);
    // reset() ends no job: the executions still wait for theirs, so they are suspended.
    for (const job of emulator.jobs().filter((j) => j.status === 2)) await api.store.suspend(refOf(job.job_id)).catch(() => undefined);
    await Promise.all(executions.splice(0));
  });

  const refOf = (jobId: string): JobRef => ({ sessionId, publicId: 'example1', jobId });

  /** Executes the BOT as a person does (its result panel opens, the job is followed); resolves once it runs with its cast URL. */
  async function runningJob(botId = 'long_running'): Promise<JobRef> {
    await openJson('{}');
    executions.push(Promise.resolve(vscode.commands.executeCommand<Job | undefined>('cloudbot.executeBot', { sessionId, publicId: 'example1', botId })));
    const job = await eventually(() => emulator.jobs().find((j) => j.status === 2 && j.bot_id === botId));
    const ref = refOf(job.job_id);
    await eventually(() => api.store.get(ref)?.job.cast_url ?? undefined);
    return ref;
  }

  async function watched(ref: JobRef, state: LiveState): Promise<LivePanel> {
    await vscode.commands.executeCommand('cloudbot.watchLive', ref);
    const panel = api.live.panelOf(ref);
    assert.ok(panel, 'a live panel of the job');
    await eventually(() => panel.view.state === state || undefined);
    return panel;
  }

  it('frames a running job\'s cast beside its result, under a CSP that lets in only the cast\'s origin', async () => {
    const ref = await runningJob();
    // The workbench places the result panel (opened by the execution) a moment later.
    const resultColumn = await eventually(() => api.panels.panelOf(ref)?.viewColumn);
    const panel = await watched(ref, 'live');
    const cast = api.store.get(ref)!.job.cast_url!;
    assert.equal(panel.view.frame, cast);
    const csp = cspOf(panel.html);
    assert.deepEqual(csp.get('frame-src'), [emulator.apiBaseUrl], 'the cast\'s origin and nothing else');
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.match(csp.get('script-src')!.join(' '), /^'nonce-[A-Za-z0-9+/=]+'$/);
    assert.ok(!panel.html.includes('unsafe-inline'));
    assert.match(panel.view.title, /Long-running BOT · /);
    // Beside the result panel.
    await eventually(() => liveTabs().length || undefined);
    assert.deepEqual(liveTabs().map(({ group }) => group.viewColumn), [resultColumn + 1]);
    // A second Watch Live of the job brings the same panel forward.
    await vscode.commands.executeCommand('cloudbot.watchLive', { target: ref });
    assert.equal(api.live.panelOf(ref), panel);
    assert.equal(liveTabs().length, 1);
  });

  it('says why and offers the browser when the cast page refuses frames, framing nothing', async () => {
    emulator.cast.setHeaders({ 'X-Frame-Options': 'DENY' });
    const panel = await watched(await runningJob(), 'refused');
    assert.match(panel.view.message, /X-Frame-Options/);
    assert.deepEqual(panel.view.actions, ['openInBrowser']);
    assert.equal(cspOf(panel.html).get('frame-src'), undefined);
    assert.equal(panel.view.frame, undefined);
  });

  it('follows a new cast URL, and never frames or opens one that is not http(s)', async () => {
    const ref = await runningJob();
    const panel = await watched(ref, 'live');
    // Another cast page of the same origin: the frame follows.
    const next = `${emulator.apiBaseUrl}/_emulator/cast/${ref.jobId}?view=2`;
    emulator.cast.setUrl(ref.jobId, next);
    await eventually(() => panel.view.frame === next || undefined, 20_000);
    emulator.cast.setUrl(ref.jobId, 'javascript:document.title="pwned"');
    await eventually(() => panel.view.state === 'notWeb' || undefined, 20_000);
    assert.match(panel.view.message, /not an http or https address/);
    assert.deepEqual(panel.view.actions, []);
    assert.equal(cspOf(panel.html).get('frame-src'), undefined);
    assert.ok(!panel.html.includes('javascript:'), 'the URL is nowhere in the page');
  });

  it('stops framing when the job ends, says how it ended and offers its result', async () => {
    const ref = await runningJob();
    const panel = await watched(ref, 'live');
    await api.store.suspend(ref);
    await eventually(() => panel.view.state === 'ended' || undefined);
    assert.match(panel.view.message, /ended: Error/);
    assert.deepEqual(panel.view.actions, ['showResult']);
    assert.equal(cspOf(panel.html).get('frame-src'), undefined);
  });

  it('offers Watch Live and Open Cast in the result panel only while the job runs with a cast VS Code can show', async () => {
    const ref = await runningJob();
    /** The toolbar of the panel's latest render that `accept` takes. */
    const actionsOnceRendered = (accept: (report: RenderReport) => boolean) =>
      eventually(() => api.panels.panelOf(ref)?.renderReports.filter(accept).at(-1)?.actions);
    const live = await actionsOnceRendered((report) => report.status === 2 && report.actions.includes('openCast'));
    assert.deepEqual(live.filter((action) => /cast|watch/i.test(action)), ['watchLive', 'openCast']);
    // http, but a host the frame's CSP could not name: the host offers neither, as Watch Live would refuse it.
    emulator.cast.setUrl(ref.jobId, 'http://cast_host.example/live');
    await eventually(() => api.store.get(ref)?.job.cast_url === 'http://cast_host.example/live' || undefined, 20_000);
    const refused = await actionsOnceRendered((report) => report.status === 2 && !report.actions.includes('openCast'));
    assert.ok(!refused.includes('watchLive'));
    // Its cast is over when it ends.
    emulator.cast.setUrl(ref.jobId, `${emulator.apiBaseUrl}/_emulator/cast/${ref.jobId}`);
    await api.store.suspend(ref);
    const ended = await actionsOnceRendered((report) => report.status === 1);
    assert.ok(!ended.includes('openCast') && !ended.includes('watchLive'), ended.join(', '));
  });

  it('closes itself when the job ends, with cloudbot.watchLive.closeWhenJobEnds', async () => {
    await vscode.workspace.getConfiguration('cloudbot').update('watchLive.closeWhenJobEnds', true, vscode.ConfigurationTarget.Global);
    const ref = await runningJob();
    await watched(ref, 'live');
    await api.store.suspend(ref);
    await eventually(() => (api.live.panelOf(ref) === undefined && liveTabs().length === 0) || undefined);
  });

  it('watches a followed job from the Command Palette', async () => {
    const ref = await runningJob();
    await vscode.commands.executeCommand('cloudbot.watchLive');
    await eventually(() => api.live.panelOf(ref)?.view.state === 'live' || undefined);
  });

  /** The result page's first render of the job while it runs. */
  function runningReport(ref: JobRef): Promise<RenderReport> {
    const seen = () => api.panels.panelOf(ref)?.renderReports.find((report) => report.status === 2);
    return seen() ? Promise.resolve(seen()!) : new Promise((resolve) => {
      const listener = api.panels.onDidRender(() => seen() && (listener.dispose(), resolve(seen()!)));
    });
  }

  it('shows a running job\'s time against its BOT\'s usual run time in the result panel, the tree and the status bar', async () => {
    // The tree lists the BOT's jobs, so the store knows its history.
    const [example1] = await api.tree.getChildren();
    const bot = (await api.tree.getChildren(example1)).find((node) => (node as BotNode).target?.botId === 'long_running')!;
    await api.tree.getChildren(bot);
    const ref = await runningJob();
    assert.match((await runningReport(ref)).elapsed, /^usually 42 s, \d+ s so far$/);
    api.tree.reload(bot);
    const row = (await api.tree.getChildren(bot)).find((node) => (node as JobNode).target?.jobId === ref.jobId)!;
    assert.match(String(row.getTreeItem().description), /^Executing · usually 42 s, \d+ s so far$/);
    // The tooltip's text as markdown: spaces as &nbsp;, punctuation escaped.
    const tooltip = () => (api.statusBar.tooltip as vscode.MarkdownString | undefined)?.value.replace(/&nbsp;/g, ' ').replace(/\\/g, '') ?? '';
    await eventually(() => (tooltip().includes('Executing · usually 42 s, ') ? true : undefined));
  });

  it('shows only the time so far for a BOT that has no successful runs', async () => {
    const ref = await runningJob('slow');
    assert.match((await runningReport(ref)).elapsed, /^\d+ s$/);
  });
});
