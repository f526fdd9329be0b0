// "Get Started": opens the walkthrough (package.json, contributes.walkthroughs) from the palette and the
// welcome view, and once by itself after install. VS Code opens an extension's walkthrough only when the
// extension was installed in the running window (from the Extensions view or a .vsix), not when it was
// there at startup (installed from the command line, by Settings Sync, or while VS Code was closed); so
// the first activation opens it, unless workbench.welcomePage.walkthroughs.openOnInstall is off or
// someone is signed in already (an update, not a newcomer). Opening it twice only brings it forward.
import * as vscode from 'vscode';

export const WALKTHROUGH_ID = 'getStarted';
/** Global state: offered on a first activation (opened or not), so never again. */
const OFFERED_KEY = 'cloudbot.walkthroughOffered';

export function registerOpenWalkthrough(context: vscode.ExtensionContext, signedIn: () => Promise<boolean>): void {
  const open = () => vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false);
  // After activation: it reads the session store, and opening an editor is no part of activating.
  const timer = setTimeout(async () => {
    if (context.globalState.get(OFFERED_KEY)) return;
    await context.globalState.update(OFFERED_KEY, true);
    if (vscode.workspace.getConfiguration('workbench.welcomePage.walkthroughs').get('openOnInstall', true) && !(await signedIn())) await open();
  }, 0);
  context.subscriptions.push(vscode.commands.registerCommand('cloudbot.openWalkthrough', open), { dispose: () => clearTimeout(timer) });
}
