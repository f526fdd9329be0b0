// The two URLs users copy around: the BOT execution endpoint and the job reference endpoint.
import { say } from './text';
import type { Language } from './types';

export function botExecutionEndpoint(apiBaseUrl: string, publicId: string, botId: string): string {
  return `${trimSlash(apiBaseUrl)}/${encodeURIComponent(publicId)}/bots/${encodeURIComponent(botId)}/jobs`;
}

export function jobReferenceEndpoint(apiBaseUrl: string, publicId: string, jobId: string): string {
  return `${trimSlash(apiBaseUrl)}/${encodeURIComponent(publicId)}/jobs/${encodeURIComponent(jobId)}`;
}

export interface JobReference {
  publicId: string;
  jobId: string;
}

export class JobReferenceError extends Error {}

const ID = /^[A-Za-z0-9_.~-]+$/;

/**
 * Reads a job reference the way people paste one: the full endpoint URL, `public_id/jobs/job_id`, or
 * `public_id/job_id`. A URL on another host than `apiBaseUrl` is refused, so credentials are never
 * sent to a host the user did not configure.
 */
export function parseJobReference(text: string, apiBaseUrl: string, language: Language): JobReference {
  const input = text.trim();
  if (!input) throw new JobReferenceError(say(messages.empty, language));
  let path = input;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    let url: URL;
    let base: URL;
    try {
      url = new URL(input);
      base = new URL(apiBaseUrl);
    } catch {
      throw new JobReferenceError(say(messages.shape, language, { input }));
    }
    if (url.origin !== base.origin) {
      throw new JobReferenceError(say(messages.otherHost, language, { host: url.host, configured: base.host }));
    }
    const basePath = base.pathname.replace(/\/+$/, '');
    path = url.pathname.startsWith(basePath + '/') ? url.pathname.slice(basePath.length) : url.pathname;
  }
  const parts = path.split('/').filter(Boolean).map(safeDecode);
  const [publicId, jobId] = parts.length === 3 && parts[1] === 'jobs' ? [parts[0], parts[2]] : parts.length === 2 ? parts : [];
  if (!publicId || !jobId || !ID.test(publicId) || !ID.test(jobId)) {
    throw new JobReferenceError(say(messages.shape, language, { input }));
  }
  return { publicId, jobId };
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

const messages = {
  empty: {
    en: 'Enter a job reference endpoint, e.g. https://api.c-bot.pro/example1/jobs/<job id>.',
    ja: 'ジョブ参照エンドポイントを入力してください (例: https://api.c-bot.pro/example1/jobs/<ジョブ ID>)。',
  },
  shape: {
    en: '"{input}" is not a job reference endpoint. Use https://<api host>/<public id>/jobs/<job id> or <public id>/<job id>.',
    ja: '「{input}」はジョブ参照エンドポイントではありません。https://<API ホスト>/<公開 ID>/jobs/<ジョブ ID> または <公開 ID>/<ジョブ ID> の形式で入力してください。',
  },
  otherHost: {
    en: 'This endpoint is on {host}, but the extension is set to use {configured}. Change the "cloudbot.apiBaseUrl" setting to follow jobs on {host}.',
    ja: 'このエンドポイントは {host} のものですが、拡張機能は {configured} を使う設定です。{host} のジョブを参照するには「cloudbot.apiBaseUrl」設定を変更してください。',
  },
};
