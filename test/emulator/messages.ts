// Localized messages. The API answers in the request's `content-language` (§2); the wording is the
// emulator's own (the real texts are [UNK]).
import type { LocalizedText } from './fixture';

export type Language = 'en' | 'ja';

export const messages = {
  payloadTooLarge: { en: 'The request payload is larger than 4 MB.', ja: 'リクエストのサイズが4MBを超えています。' },
  unsupportedMediaType: { en: 'content-type must be application/json.', ja: 'content-type には application/json を指定してください。' },
  badLanguage: { en: 'content-language must be ja or en.', ja: 'content-language には ja または en を指定してください。' },
  unauthorized: { en: 'The access token or secret key is wrong.', ja: 'アクセストークンまたはシークレットキーが正しくありません。' },
  bearerUnauthorized: { en: 'The bearer token is invalid or has expired.', ja: 'Bearer トークンが無効か、有効期限が切れています。' },
  externalConnectionsOff: {
    en: 'External Connections is disabled for this contract.',
    ja: 'この契約では外部連携が無効になっています。',
  },
  contractNotFound: { en: 'The contract was not found.', ja: '契約が見つかりません。' },
  botNotFound: { en: 'The BOT was not found.', ja: 'BOTが見つかりません。' },
  jobNotFound: { en: 'The job was not found.', ja: 'ジョブが見つかりません。' },
  subscriptionNotFound: { en: 'The subscription was not found.', ja: 'サブスクリプションが見つかりません。' },
  notFound: { en: 'Not found.', ja: '見つかりません。' },
  jobAlreadyFinished: { en: 'The job has already finished.', ja: 'ジョブは既に終了しています。' },
  tooManyRequests: { en: 'Too many execute requests. Try again later.', ja: '実行リクエストが多すぎます。しばらくしてから再度お試しください。' },
  jobRunning: { en: 'The BOT is running.', ja: 'BOTを実行中です。' },
  jobSucceeded: { en: 'The BOT finished successfully.', ja: 'BOTが正常に終了しました。' },
  jobFailed: { en: 'The BOT stopped with an error.', ja: 'BOTがエラーで停止しました。' },
  jobSuspended: { en: 'The job was suspended.', ja: 'ジョブは中断されました。' },
  internalError: { en: 'Internal emulator error.', ja: 'エミュレーター内部エラーです。' },
  injectedFault: { en: 'Fault injected by the emulator.', ja: 'エミュレーターが注入した障害です。' },
} satisfies Record<string, LocalizedText>;

const permissionWords: Record<string, LocalizedText> = {
  refer: { en: 'Refer', ja: '参照' },
  execute: { en: 'Execute', ja: '実行' },
  suspend: { en: 'Suspend', ja: '中断' },
  modify: { en: 'Modify', ja: '変更' },
};

export function permissionName(permission: string): LocalizedText {
  return permissionWords[permission] ?? { en: permission, ja: permission };
}

export function forbidden(permission: string): LocalizedText {
  const word = permissionName(permission);
  return {
    en: `The token is not authorized to ${word.en.toLowerCase()} (the "${word.en}" permission is required).`,
    ja: `このトークンには「${word.ja}」の権限がありません。`,
  };
}

/** A 422 message naming the offending field or parameter. */
export function invalid(name: string, en: string, ja: string): LocalizedText {
  return { en: `Invalid "${name}": ${en}`, ja: `「${name}」が不正です: ${ja}` };
}
