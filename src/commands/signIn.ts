import * as vscode from 'vscode';
import type { CloudBotAuthenticationProvider, SignInMethod } from '../auth/provider';

export function registerSignIn(context: vscode.ExtensionContext, auth: CloudBotAuthenticationProvider): void {
  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.signIn', (method?: SignInMethod) => auth.signInAndSay(method)));
}
