// Offers the bundled MCP server (dist/mcp.js) to VS Code's own MCP client, where the host has one. The
// definition VS Code lists and keeps carries no credentials; they are added only when the server is
// started, from the account the user picks, into that process's environment.
import * as vscode from 'vscode';
import type { CloudBotAuthenticationProvider } from '../auth/provider';
import { pickAccount } from '../commands/pickAccount';
import { onDidChangeSettings, readSettings } from '../config';
import type { CloudBot } from '../services/cloudBot';
import { describeError } from '../words';
import { mcpRegistration } from './newerApi';

/** The id in package.json's mcpServerDefinitionProviders. */
export const MCP_PROVIDER_ID = 'cloudbot.mcpServer';
/** VS Code names the server `<extension id>/<label>`. */
export const MCP_SERVER_LABEL = 'Cloud BOT';

export function registerMcpServerProvider(context: vscode.ExtensionContext, auth: CloudBotAuthenticationProvider, cloudBot: CloudBot): void {
  const mcp = mcpRegistration();
  if (!mcp) return;
  const changed = new vscode.EventEmitter<void>();
  const serverScript = vscode.Uri.joinPath(context.extensionUri, 'dist', 'mcp.js').fsPath;
  const version = String((context.extension.packageJSON as { version?: unknown }).version ?? '');
  const definition = (env: Record<string, string>) =>
    // VS Code's own executable runs the script as Node (desktop VS Code is Electron).
    new mcp.definition(MCP_SERVER_LABEL, process.execPath, [serverScript], { ELECTRON_RUN_AS_NODE: '1', ...env }, version);
  context.subscriptions.push(
    changed,
    mcp.register(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: async () => [definition({})],
      async resolveMcpServerDefinition() {
        let apiBaseUrl: string;
        let language: string;
        try {
          ({ apiBaseUrl, language } = readSettings());
        } catch (error) {
          void vscode.window.showErrorMessage(describeError(error));
          return undefined;
        }
        const account = await pickAccount(cloudBot, vscode.l10n.t('Which account should the Cloud BOT MCP server use?'));
        if (!account) return undefined;
        const credentials = await auth.credentialsFor(account.sessionId).current();
        const secret: Record<string, string> =
          credentials.kind === 'accessToken'
            ? { CLOUDBOT_ACCESS_TOKEN: credentials.accessToken, CLOUDBOT_SECRET_KEY: credentials.secretKey }
            : { CLOUDBOT_BEARER_TOKEN: credentials.accessToken };
        return definition({ CLOUDBOT_API_BASE_URL: apiBaseUrl, CLOUDBOT_LANGUAGE: language, ...secret });
      },
    }),
    // A server started for another API or account would answer for the wrong one: VS Code offers a restart.
    onDidChangeSettings(() => changed.fire()),
    auth.onDidChangeSessions(() => changed.fire()),
  );
}
