// One OAuth sign-in attempt through one flow: a fresh single-use state, the browser sent to the
// authorize page, the redirect received (URI handler, loopback server or pasted by the user), checked,
// and the code exchanged for tokens. Nothing is saved here: the provider does that with the result.
import * as vscode from 'vscode';
import { buildAuthorizeUrl, exchangeCode, parseRedirect, StateBook, type OAuthApp, type Redirect, type TokenSet } from '../core/oauth';
import type { FlowId } from './flows';
import { startLoopback } from '../core/loopbackServer';
import { inert } from '../core/serverText';
import { loopbackPort, redirectUriFor } from './oauthApp';
import type { CallbackUriHandler } from './uriHandler';
import { loopbackPage } from '../words';

export type OAuthFlowId = Exclude<FlowId, 'accessToken'>;

/** What the flows need from the screen; tests pass a small fake. */
export interface SignInUi {
  openBrowser(url: string): Thenable<boolean>;
  /** Asks for the URL the browser ended on (or the code), naming the sign-in server it goes to; undefined when dismissed. */
  askForRedirect(redirectUri: string, oauthHost: string): Thenable<string | undefined>;
}

export const vscodeSignInUi: SignInUi = {
  // Handed over as a string, which the host keeps as it is: a vscode.Uri would decode the redirect_uri
  // parameter and write its `&`s back bare, splitting it (remote and web hosts have `&`s in theirs).
  openBrowser: (url) => vscode.env.openExternal(url as unknown as vscode.Uri),
  askForRedirect: (redirectUri, oauthHost) =>
    vscode.window.showInputBox({
      title: vscode.l10n.t('Sign in to Cloud BOT at {0}', oauthHost),
      prompt: vscode.l10n.t(
        'After you allow access, the browser stops on {0} (a page that cannot be reached is expected). Paste the whole address from the address bar, or just the code.',
        redirectUri,
      ),
      placeHolder: `${redirectUri}?code=…&state=…`,
      ignoreFocusOut: true,
    }),
};

export interface AttemptStarted {
  flow: OAuthFlowId;
  redirectUri: string;
}

/** Thrown when the user said no in the browser: the sign-in ends quietly, no other way is offered. */
export class SignInDeniedError extends Error {}

/** The attempt got an answer that cannot be trusted or used; nothing was saved. */
export class SignInRefusedError extends Error {}

const ATTEMPT_TIMEOUT_MS = 5 * 60_000;

export class OAuthSignIn implements vscode.Disposable {
  private readonly states = new StateBook();
  /** URI-handler attempts in progress, by their state. */
  private readonly waiting = new Map<string, (redirect: Redirect) => void>();
  private readonly startEmitter = new vscode.EventEmitter<AttemptStarted>();
  /** Fires before the browser opens, with the exact redirect URI in use (not a secret). */
  readonly onDidStartAttempt = this.startEmitter.event;
  private readonly refuseEmitter = new vscode.EventEmitter<void>();
  /** Fires when a URI-handler callback matched no sign-in in progress and was refused. */
  readonly onDidRefuseCallback = this.refuseEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.startEmitter, this.refuseEmitter];

  constructor(
    uriHandler: CallbackUriHandler,
    /** Replaceable: integration tests stand in for the browser and the input box. */
    public ui: SignInUi,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(uriHandler.onDidReceiveCallback((query) => this.onCallback(query)));
  }

  dispose(): void {
    for (const disposable of this.disposables) disposable.dispose();
  }

  async run(flow: OAuthFlowId, app: OAuthApp, scopes: readonly string[], token: vscode.CancellationToken): Promise<TokenSet> {
    const state = this.states.issue(ATTEMPT_TIMEOUT_MS);
    const loopback = flow === 'loopback' ? await startLoopback(loopbackPort(), ATTEMPT_TIMEOUT_MS, loopbackPage(), state) : undefined;
    try {
      const redirectUri = loopback?.redirectUri ?? (await redirectUriFor(flow));
      const answer = flow === 'uriHandler' ? this.waitForUriHandler(state) : loopback?.received.then(toRedirect);
      this.log.info(`Sign-in: ${flow} flow, waiting for the browser to return to ${redirectUri}`);
      this.startEmitter.fire({ flow, redirectUri });
      await this.ui.openBrowser(buildAuthorizeUrl(app.oauthBaseUrl, { clientId: app.clientId, redirectUri, scopes, state }));
      const redirect = await withCancellation(answer ?? this.askUser(redirectUri, new URL(app.oauthBaseUrl).host), token, ATTEMPT_TIMEOUT_MS);
      this.check(redirect, state, flow);
      if (redirect.kind === 'error') throw new SignInDeniedError(deniedMessage(redirect));
      return await exchangeCode(app, redirect.code, redirectUri);
    } finally {
      this.states.forget(state);
      this.waiting.delete(state);
      await loopback?.close();
    }
  }

  private waitForUriHandler(state: string): Promise<Redirect> {
    return new Promise((resolve) => this.waiting.set(state, resolve));
  }

  private async askUser(redirectUri: string, oauthHost: string): Promise<Redirect> {
    for (;;) {
      const text = await this.ui.askForRedirect(redirectUri, oauthHost);
      if (text === undefined) throw new vscode.CancellationError();
      const redirect = parseRedirect(text);
      if (redirect) return redirect;
      void vscode.window.showWarningMessage(vscode.l10n.t('That is neither the address the browser ended on nor a code. Paste the whole address from the address bar.'));
    }
  }

  /** A URI-handler callback goes to the attempt whose state it carries; any other is refused, visibly. */
  private onCallback(query: URLSearchParams): void {
    const redirect = toRedirect(query);
    const state = stateOf(redirect);
    const resolve = state ? this.waiting.get(state) : undefined;
    if (resolve) {
      this.waiting.delete(state!);
      resolve(redirect);
      return;
    }
    this.log.warn('Sign-in: refused a callback that matches no sign-in in progress.');
    this.refuseEmitter.fire();
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Cloud BOT: this sign-in answer matches no sign-in in progress (already used, too late, or not started here). Nothing was changed; start signing in again if needed.'),
    );
  }

  /**
   * The state must be this attempt's, once. Only a code pasted alone carries none, and the user vouches
   * for it; a pasted address must carry this attempt's state like any redirect.
   */
  private check(redirect: Redirect, state: string, flow: OAuthFlowId): void {
    if (flow === 'manual' && redirect.kind === 'bareCode') return;
    const verdict = stateOf(redirect) === state ? this.states.consume(state) : 'unknown';
    if (verdict !== 'valid') {
      this.log.warn(`Sign-in: refused an answer whose state is ${verdict === 'expired' ? 'expired' : 'not this attempt\'s'}.`);
      throw new SignInRefusedError(
        vscode.l10n.t('The answer from the browser does not belong to this sign-in (its state does not match, was used already or expired). Nothing was saved. Start signing in again.'),
      );
    }
  }
}

function stateOf(redirect: Redirect): string | undefined {
  return redirect.kind === 'bareCode' ? undefined : redirect.state;
}

function toRedirect(query: URLSearchParams): Redirect {
  return parseRedirect(`?${query.toString()}`) ?? { kind: 'error', error: 'invalid_request', state: query.get('state') ?? undefined };
}

function deniedMessage(redirect: Extract<Redirect, { kind: 'error' }>): string {
  return redirect.error === 'access_denied'
    ? vscode.l10n.t('Sign-in was denied in the browser. Nothing was saved.')
    : vscode.l10n.t('Cloud BOT did not authorize the sign-in ({0}{1}). Nothing was saved.', inert(redirect.error), redirect.description ? `: ${inert(redirect.description)}` : '');
}

/** Waits for `promise`, unless the user cancels or the attempt runs out of time. */
function withCancellation<T>(promise: Promise<T>, token: vscode.CancellationToken, timeoutMs: number): Promise<T> {
  return new Promise((resolve, reject) => {
    if (token.isCancellationRequested) return reject(new vscode.CancellationError());
    const subscription = token.onCancellationRequested(() => reject(new vscode.CancellationError()));
    const timer = setTimeout(
      () => reject(new SignInRefusedError(vscode.l10n.t('The browser did not come back within {0} minutes.', timeoutMs / 60_000))),
      timeoutMs,
    );
    promise.then(resolve, reject).finally(() => {
      subscription.dispose();
      clearTimeout(timer);
    });
  });
}
