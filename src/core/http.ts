// node-fetch, loaded on the first request rather than with the extension: activation sends nothing,
// so it need not pay for loading the HTTP stack (node-fetch and the Node modules it pulls in), which
// the build puts in a bundle of its own (scripts/bundle-options.mjs).
import type { RequestInfo, RequestInit, Response } from 'node-fetch';

export type { RequestInit, Response };

let loaded: Promise<typeof import('./libs/fetch')> | undefined;

export async function fetch(url: RequestInfo, init?: RequestInit): Promise<Response> {
  loaded ??= import('./libs/fetch');
  return (await loaded).nodeFetch(url, init);
}
