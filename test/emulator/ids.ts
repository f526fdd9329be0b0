// Identifiers and random secrets for the emulator.
import { randomBytes, randomInt } from 'node:crypto';

const ALNUM_UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A random string from `alphabet` (crypto-strong, so nothing guessable ends up in a fixture). */
function randomString(length: number, alphabet: string = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

// Shapes mimic what a real client saw (§3.1), but nothing in the emulator relies on them.
export const newAccessToken = (): string => randomString(20, ALNUM_UPPER);
export const newSecretKey = (): string => randomString(40);
export const newOpaqueToken = (): string => randomBytes(32).toString('base64url');

/** Formats a UUIDv7: 48-bit Unix ms timestamp, version 7, 12 bits `randA`, variant 10, 62 random bits. */
function formatUuid7(ms: number, randA: number): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | ((randA >> 8) & 0x0f);
  bytes[7] = randA & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUIDv7 for a given time (seeded history); ties within one millisecond are in random order. */
export function uuid7At(ms: number): string {
  return formatUuid7(ms, randomInt(0x1000));
}

/**
 * Job ids are UUIDv7 (choice: the docs only say "UUID"). They sort by creation time as strings, which is
 * what makes `id_from`/`id_to` keyset paging work. Within one millisecond the 12-bit `rand_a` field is
 * used as a counter, so ids created by one generator are strictly increasing.
 */
export class Uuid7Generator {
  private lastMs = 0;
  private counter = 0;

  next(now: number = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.counter = randomInt(0x800); // leave room to count up within this millisecond
    } else if (++this.counter > 0xfff) {
      this.lastMs += 1;
      this.counter = 0;
    }
    return formatUuid7(this.lastMs, this.counter);
  }
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
