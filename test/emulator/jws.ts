// Compact JWS (HS256) for the BOT definition export (E4). The real key and payload format are [UNK]
// (§5 E4); choice: a fixed, public emulator key, and the stored definition as the payload.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const EMULATOR_JWS_KEY = 'cloudbot-emulator-definition-key';

const encode = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
const signature = (input: string): string => createHmac('sha256', EMULATOR_JWS_KEY).update(input).digest('base64url');

export function signJws(payload: unknown): string {
  const input = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode(payload)}`;
  return `${input}.${signature(input)}`;
}

/** The payload of a JWS signed with the emulator key; throws when the signature or format is wrong. */
export function verifyJws(jws: string): unknown {
  const [header, payload, sig, ...rest] = jws.split('.');
  if (payload === undefined || sig === undefined || rest.length > 0) throw new Error('not a compact JWS');
  const expected = Buffer.from(signature(`${header}.${payload}`));
  const actual = Buffer.from(sig);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new Error('bad JWS signature');
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}
