import * as vscode from 'vscode';
import { inert } from '../core/serverText';
import type { Account, CloudBot } from '../services/cloudBot';

/** The only account, or the one the user picks; undefined when nobody is signed in or the pick was dismissed. */
export async function pickAccount(cloudBot: CloudBot, placeHolder: string): Promise<Account | undefined> {
  const accounts = await cloudBot.accounts();
  if (!accounts.length) return askToSignIn(cloudBot);
  if (accounts.length === 1) return accounts[0];
  const picked = await vscode.window.showQuickPick(
    accounts.map((account) => ({ label: inert(account.label), account })),
    { placeHolder },
  );
  return picked?.account;
}

/** Says that nobody is signed in, with a button that signs in. */
export async function askToSignIn(cloudBot: CloudBot): Promise<undefined> {
  const signIn = vscode.l10n.t('Sign In');
  const choice = await vscode.window.showWarningMessage(vscode.l10n.t('Sign in to Cloud BOT first.'), signIn);
  if (choice === signIn) await cloudBot.signIn();
  return undefined;
}
