// The ways to sign in, as data: what each needs and where it works. `getFlows` picks the usable ones for
// an environment, in the order they are tried; when one fails or is cancelled the next is offered.
// No `vscode` import, so the table is tested in plain Node.

export type FlowId = 'uriHandler' | 'loopback' | 'manual' | 'accessToken';

/** Where the extension host runs relative to the user's browser. */
export type Host = 'desktop' | 'remote' | 'web';

export interface FlowEnvironment {
  host: Host;
  /** A client ID in settings and a client secret in SecretStorage: the OAuth flows need both. */
  hasOAuthApp: boolean;
}

export interface FlowSpec {
  id: FlowId;
  oauth: boolean;
  /** Hosts where the flow can complete. */
  hosts: readonly Host[];
}

export const FLOWS: readonly FlowSpec[] = [
  // The browser hands the redirect to VS Code itself (asExternalUri keeps it reaching a remote window).
  // Not on web hosts: there the redirect becomes a per-attempt workbench URL (vscode-reqid), which can
  // never equal the one URL registered in My Apps.
  { id: 'uriHandler', oauth: true, hosts: ['desktop', 'remote'] },
  // A one-shot server on 127.0.0.1: only when the extension host and the browser share a machine.
  { id: 'loopback', oauth: true, hosts: ['desktop'] },
  // The user pastes the URL the browser ended on: works wherever a browser can be opened.
  { id: 'manual', oauth: true, hosts: ['desktop', 'remote', 'web'] },
  // No browser at all: the API's access token + secret key pair.
  { id: 'accessToken', oauth: false, hosts: ['desktop', 'remote', 'web'] },
];

export function getFlows(environment: FlowEnvironment): FlowSpec[] {
  return FLOWS.filter((flow) => flow.hosts.includes(environment.host) && (!flow.oauth || environment.hasOAuthApp));
}

/** The host kind from what vscode.env tells: the browser's side (web UI), a remote extension host, or neither. */
export function hostOf(uiIsWeb: boolean, remoteName: string | undefined): Host {
  if (uiIsWeb) return 'web';
  return remoteName ? 'remote' : 'desktop';
}
