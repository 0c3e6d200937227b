import type { Clock } from '@implant-trace/domain-kernel';
import { systemClock } from '@implant-trace/domain-kernel';

/** Fills the array with cryptographically strong random bytes. */
export type RandomFill = (bytes: Uint8Array) => void;

export interface UuidV7GeneratorOptions {
  clock?: Clock;
  fillRandom?: RandomFill;
}

/** Returns a new UUID v7, lower-case, greater than every id this generator returned before. */
export type UuidV7Generator = () => string;

// RFC 9562 section 5.7 layout: 48-bit unix_ts_ms | ver (4) | rand_a (12) | var (2) | rand_b (62).
// rand_a is used as the fixed-length counter of section 6.2, method 1, so ids minted in the
// same millisecond sort in minting order. It starts at a random value below 2^11 each new
// millisecond: the guard bit leaves at least 2048 increments before a rollover.
const MAX_TIMESTAMP = 2 ** 48 - 1;
const COUNTER_MAX = 0xfff;
const COUNTER_SEED_MASK = 0x7ff;
const RANDOM_BYTES = 10;

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * Random bytes drawn from a pool refilled 4 KiB at a time: one `getRandomValues` call per id
 * cost about 4 µs (a third of the publish path of a recall's match events), a copy from the
 * pool well under one. `crypto.randomUUID` pools its entropy the same way.
 */
export function pooledRandom(source: RandomFill, poolSize = 4096): RandomFill {
  const pool = new Uint8Array(poolSize);
  let offset = poolSize;
  return (bytes) => {
    if (bytes.length > poolSize) {
      source(bytes);
      return;
    }
    if (offset + bytes.length > poolSize) {
      source(pool);
      offset = 0;
    }
    bytes.set(pool.subarray(offset, offset + bytes.length));
    // Each byte is handed out once: a second id must never reuse the first one's randomness.
    offset += bytes.length;
  };
}

const cryptoRandom: RandomFill = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
};

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * A UUID v7 generator with its own monotonic state. Within one generator every id is
 * strictly greater (as a string and as a number) than the one before, even when the clock
 * stands still or steps back: the last timestamp is kept and the counter advanced, and when
 * the counter rolls over the timestamp is advanced by one millisecond, as RFC 9562 section
 * 6.2 allows. The id's timestamp can therefore run slightly ahead of the clock, never behind
 * the previous id's.
 */
export function createUuidV7Generator(options: UuidV7GeneratorOptions = {}): UuidV7Generator {
  const clock = options.clock ?? systemClock;
  const fillRandom = options.fillRandom ?? pooledRandom(cryptoRandom);
  const random = new Uint8Array(RANDOM_BYTES);
  let lastTimestamp = -1;
  let counter = 0;

  return () => {
    const now = clock.now().getTime();
    if (!Number.isSafeInteger(now) || now < 0 || now > MAX_TIMESTAMP) {
      throw new RangeError('The clock must give whole milliseconds from 0 to 2^48 - 1');
    }
    fillRandom(random);
    if (now > lastTimestamp) {
      lastTimestamp = now;
      counter = counterSeed(random);
    } else if (counter < COUNTER_MAX) {
      counter += 1;
    } else {
      if (lastTimestamp === MAX_TIMESTAMP) {
        throw new RangeError('UUID v7 timestamp space exhausted');
      }
      lastTimestamp += 1;
      counter = counterSeed(random);
    }
    return format(lastTimestamp, counter, random);
  };
}

/** A UUID v7 from the process-wide generator (system clock, `crypto.getRandomValues`). */
export const uuidV7: UuidV7Generator = createUuidV7Generator();

/** True for a UUID in the 8-4-4-4-12 hex form with version 7 and the RFC 9562 variant. */
export function isUuidV7(value: string): boolean {
  return UUID_V7.test(value);
}

/** The creation time (ms since the Unix epoch) a UUID v7 carries, or undefined if not one. */
export function uuidV7Timestamp(value: string): number | undefined {
  if (!isUuidV7(value)) {
    return undefined;
  }
  return Number.parseInt(`${value.slice(0, 8)}${value.slice(9, 13)}`, 16);
}

function counterSeed(random: Uint8Array): number {
  return (((random[0] ?? 0) << 8) | (random[1] ?? 0)) & COUNTER_SEED_MASK;
}

function format(timestamp: number, counter: number, random: Uint8Array): string {
  // A Uint8Array stores each value modulo 256, so every assignment keeps just the low byte.
  const bytes = new Uint8Array(16);
  const high = Math.floor(timestamp / 0x10000);
  bytes[0] = high >>> 24;
  bytes[1] = high >>> 16;
  bytes[2] = high >>> 8;
  bytes[3] = high;
  bytes[4] = timestamp >>> 8;
  bytes[5] = timestamp;
  bytes[6] = 0x70 | (counter >>> 8);
  bytes[7] = counter;
  bytes[8] = 0x80 | ((random[2] ?? 0) & 0x3f);
  bytes.set(random.subarray(3), 9);
  let hex = '';
  for (const byte of bytes) hex += HEX[byte] ?? '';
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
