// node-fetch, loaded on the first request rather than with the extension: activation sends nothing,
// so it need not pay for evaluating the HTTP stack (node-fetch and the Node modules it pulls in).
import type { RequestInfo, RequestInit, Response } from 'node-fetch';

export type { RequestInit, Response };

let loaded: Promise<typeof import('node-fetch')> | undefined;

export async function fetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
  loaded ??= import('node-fetch');
  return (await loaded).default(url, init);
}
