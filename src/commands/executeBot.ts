// Executes a BOT with JSON from the active editor (the selection when there is one). Bad input is
// marked in the editor and never sent; the job is then followed to its end.
import * as vscode from 'vscode';
import { CloudBotError } from '../core/errors';
import { parseBotInput } from '../core/jsonInput';
import type { Job } from '../core/types';
import type { JobFollower } from '../jobs/jobFollower';
import type { CloudBot } from '../services/cloudBot';
import { BotNode, type BotTarget } from '../views/botNode';
import { pickBot } from './pickBot';

export function registerExecuteBot(context: vscode.ExtensionContext, cloudBot: CloudBot, follower: JobFollower, log: vscode.LogOutputChannel): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('cloudbot');
  context.subscriptions.push(
    diagnostics,
    // A mark on bad input stays only until the text changes.
    vscode.workspace.onDidChangeTextDocument((event) => diagnostics.delete(event.document.uri)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.delete(document.uri)),
    vscode.commands.registerCommand('cloudbot.executeBot', async (arg?: BotNode | BotTarget): Promise<Job | undefined> => {
      const target = arg instanceof BotNode ? arg.target : arg ?? (await pickBot(cloudBot));
      if (!target) return undefined;
      const client = cloudBot.clientFor(target.sessionId);
      const input = readEditorInput(client.language, diagnostics);
      if (!input) return undefined;
      const botLabel = target.botName ? `${target.botName} (${target.botId})` : target.botId;
      log.info(`[${target.publicId}] Executing ${botLabel} with ${input.source}.`);
      let started;
      try {
        started = await client.executeBot(target.publicId, target.botId, { input: input.value });
      } catch (error) {
        const message = error instanceof CloudBotError ? error.message : String(error);
        log.error(`[${target.publicId}] ${botLabel}: ${message}`);
        void vscode.window.showErrorMessage(vscode.l10n.t('Could not execute {0}: {1}', botLabel, message));
        return undefined;
      }
      log.info(`[${target.publicId}] Job ${started.job.job_id} started (HTTP ${started.httpStatus}). Job reference endpoint: ${started.jobReferenceEndpoint}`);
      return follower.follow({
        sessionId: target.sessionId,
        client,
        publicId: target.publicId,
        jobId: started.job.job_id,
        initial: started.job,
        title: vscode.l10n.t('Cloud BOT: {0}', botLabel),
      });
    }),
  );
}

interface EditorInput {
  value: Record<string, unknown>;
  source: string;
}

function readEditorInput(language: 'ja' | 'en', diagnostics: vscode.DiagnosticCollection): EditorInput | undefined {
  const editor = vscode.window.activeTextEditor;
  if (!editor) return { value: {}, source: vscode.l10n.t('empty input {} (no editor is active)') };
  const { document, selection } = editor;
  const text = selection.isEmpty ? document.getText() : document.getText(selection);
  const baseOffset = selection.isEmpty ? 0 : document.offsetAt(selection.start);
  const result = parseBotInput(text, language, document.getText(), baseOffset);
  if (!result.ok) {
    const { problem } = result;
    const range = new vscode.Range(document.positionAt(problem.offset), document.positionAt(problem.offset + problem.length));
    const diagnostic = new vscode.Diagnostic(range, problem.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Cloud BOT';
    diagnostics.set(document.uri, [diagnostic]);
    void vscode.window.showErrorMessage(vscode.l10n.t('{0} Nothing was sent.', problem.message));
    return undefined;
  }
  diagnostics.delete(document.uri);
  const name = vscode.workspace.asRelativePath(document.uri);
  return { value: result.input, source: selection.isEmpty ? name : vscode.l10n.t('the selection in {0}', name) };
}
