import fc from 'fast-check';

import type { Clock } from '@implant-trace/domain-kernel';

import type { RandomFill } from './uuid-v7.util';
import {
  createUuidV7Generator,
  isUuidV7,
  pooledRandom,
  uuidV7,
  uuidV7Timestamp,
} from './uuid-v7.util';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const MAX_TIMESTAMP = 2 ** 48 - 1;

/** A clock that gives the readings in turn and then keeps giving the last one. */
function scriptedClock(readings: readonly number[]): Clock {
  let next = 0;
  return {
    now: () => new Date(readings[Math.min(next++, readings.length - 1)] ?? 0),
  };
}

const fixedClock = (ms: number): Clock => ({ now: () => new Date(ms) });
const zeroRandom: RandomFill = (bytes) => bytes.fill(0);
const onesRandom: RandomFill = (bytes) => bytes.fill(0xff);

describe('createUuidV7Generator', () => {
  it('puts the clock reading in the first 48 bits, big-endian', () => {
    const next = createUuidV7Generator({
      clock: fixedClock(0x0123456789ab),
      fillRandom: zeroRandom,
    });
    expect(next()).toBe('01234567-89ab-7000-8000-000000000000');
  });

  it('sets version 7 and variant 10 whatever the random bytes are', () => {
    const next = createUuidV7Generator({
      clock: fixedClock(MAX_TIMESTAMP),
      fillRandom: onesRandom,
    });
    // The counter starts below 2^11 (its guard bit is clear): 0x7ff.
    expect(next()).toBe('ffffffff-ffff-77ff-bfff-ffffffffffff');
  });

  it('counts up within one millisecond', () => {
    const next = createUuidV7Generator({ clock: fixedClock(1), fillRandom: zeroRandom });
    expect([next(), next(), next()].map((id) => id.slice(14, 18))).toEqual([
      '7000',
      '7001',
      '7002',
    ]);
  });

  it('moves the timestamp on by one millisecond when the counter rolls over', () => {
    const next = createUuidV7Generator({ clock: fixedClock(1000), fillRandom: zeroRandom });
    const ids = Array.from({ length: 4097 }, () => next());
    expect(ids[4095]?.slice(14, 18)).toBe('7fff');
    expect(uuidV7Timestamp(ids[4095] ?? '')).toBe(1000);
    expect(uuidV7Timestamp(ids[4096] ?? '')).toBe(1001);
    expect(ids[4096]?.slice(14, 18)).toBe('7000');
  });

  it('stops rather than wrap when the timestamp space is used up', () => {
    const next = createUuidV7Generator({
      clock: fixedClock(MAX_TIMESTAMP),
      fillRandom: zeroRandom,
    });
    for (let i = 0; i < 4096; i += 1) {
      next();
    }
    expect(() => next()).toThrow(RangeError);
  });

  it.each([-1, MAX_TIMESTAMP + 1, Number.NaN])('refuses the clock reading %p', (ms) => {
    const next = createUuidV7Generator({ clock: fixedClock(ms), fillRandom: zeroRandom });
    expect(() => next()).toThrow(RangeError);
  });

  it('uses globalThis.crypto by default', () => {
    const next = createUuidV7Generator({ clock: fixedClock(5) });
    const ids = new Set(Array.from({ length: 100 }, () => next().slice(19)));
    expect(ids.size).toBe(100);
  });

  const reading = fc.integer({ min: 0, max: MAX_TIMESTAMP });
  const randomBytes = fc.uint8Array({ minLength: 10, maxLength: 10 });

  it('returns strictly increasing, well-formed ids for any clock, even one that steps back', () => {
    fc.assert(
      fc.property(
        fc.array(reading, { minLength: 1, maxLength: 200 }),
        fc.array(randomBytes, { minLength: 1, maxLength: 8 }),
        (readings, randoms) => {
          let call = 0;
          const next = createUuidV7Generator({
            clock: scriptedClock(readings),
            fillRandom: (bytes) => bytes.set(randoms[call++ % randoms.length] ?? []),
          });
          let previous = '';
          let latest = -1;
          for (const ms of readings) {
            const id = next();
            latest = Math.max(latest, ms);
            expect(id).toMatch(FORMAT);
            expect(id > previous).toBe(true);
            // Fewer than 2048 ids per millisecond here, so the counter never rolls over.
            expect(uuidV7Timestamp(id)).toBe(latest);
            previous = id;
          }
        },
      ),
    );
  });

  it('keeps ids apart across generators that share a clock reading', () => {
    const a = createUuidV7Generator({ clock: fixedClock(7) });
    const b = createUuidV7Generator({ clock: fixedClock(7) });
    expect(a()).not.toBe(b());
  });
});

describe('uuidV7', () => {
  it('gives well-formed, strictly increasing ids', () => {
    const ids = Array.from({ length: 1000 }, () => uuidV7());
    ids.forEach((id) => expect(isUuidV7(id)).toBe(true));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('isUuidV7', () => {
  it.each([
    ['01234567-89ab-7def-8123-456789abcdef', true],
    ['01234567-89AB-7DEF-B123-456789ABCDEF', true],
    ['01234567-89ab-4def-8123-456789abcdef', false],
    ['01234567-89ab-7def-c123-456789abcdef', false],
    ['0123456789ab7def8123456789abcdef', false],
    ['{01234567-89ab-7def-8123-456789abcdef}', false],
    ['01234567-89ab-7def-8123-456789abcdeg', false],
    ['', false],
  ])('%p -> %p', (value, expected) => {
    expect(isUuidV7(value)).toBe(expected);
  });
});

describe('uuidV7Timestamp', () => {
  it('reads the milliseconds back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TIMESTAMP }), (ms) => {
        const next = createUuidV7Generator({ clock: fixedClock(ms) });
        expect(uuidV7Timestamp(next())).toBe(ms);
      }),
    );
  });

  it('gives undefined for anything but a UUID v7', () => {
    expect(uuidV7Timestamp('01234567-89ab-4def-8123-456789abcdef')).toBeUndefined();
    expect(uuidV7Timestamp('not a uuid')).toBeUndefined();
  });
});

describe('pooledRandom', () => {
  /** A source that numbers every byte it ever gives, so a byte given twice shows. */
  function countingSource() {
    let next = 0;
    const calls: number[] = [];
    const source: RandomFill = (bytes) => {
      calls.push(bytes.length);
      for (let i = 0; i < bytes.length; i += 1) bytes[i] = next++ % 256;
    };
    return { source, calls };
  }

  it('hands out each byte of the pool once, then refills it', () => {
    const { source, calls } = countingSource();
    const fill = pooledRandom(source, 32);
    const draws = Array.from({ length: 7 }, () => {
      const bytes = new Uint8Array(10);
      fill(bytes);
      return [...bytes];
    });
    // Three draws of 10 fit a pool of 32; the fourth needs a new pool, and so on.
    expect(calls).toEqual([32, 32, 32]);
    expect(draws[0]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(draws[2]).toEqual([20, 21, 22, 23, 24, 25, 26, 27, 28, 29]);
    expect(draws[3]).toEqual([32, 33, 34, 35, 36, 37, 38, 39, 40, 41]);
    expect(new Set(draws.map((draw) => draw.join(','))).size).toBe(7);
  });

  it('fills a request larger than the pool straight from the source', () => {
    const { source, calls } = countingSource();
    const bytes = new Uint8Array(40);
    pooledRandom(source, 32)(bytes);
    expect(calls).toEqual([40]);
    expect(bytes[39]).toBe(39);
  });

  it('gives the process-wide generator different random bits on every id', () => {
    const tails = new Set(Array.from({ length: 5000 }, () => uuidV7().slice(19)));
    expect(tails.size).toBe(5000);
  });
});
