import fc from 'fast-check';

import type { WedgeDecision } from './wedge-burst.detector';
import {
  DEFAULT_WEDGE_TIMINGS,
  GROUP_SEPARATOR,
  WedgeBurstDetector,
  wedgeInputOf,
} from './wedge-burst.detector';

/** Feeds `text` one key every `gapMs`, then the suffix key, and collects the decisions. */
function typeInto(
  detector: WedgeBurstDetector,
  text: string,
  gapMs: number,
  { startAt = 1000, suffix = 'Enter' as string | null } = {},
): WedgeDecision[] {
  const decisions: WedgeDecision[] = [];
  let at = startAt;
  for (const key of text) {
    decisions.push(detector.keystroke({ key }, at));
    at += gapMs;
  }
  if (suffix !== null) decisions.push(detector.keystroke({ key: suffix }, at - gapMs + 1));
  return decisions.filter((decision) => decision.kind !== 'pending');
}

describe('WedgeBurstDetector', () => {
  it('reads a burst ended by Enter as one scan, without the suffix', () => {
    expect(typeInto(new WedgeBurstDetector(), '0105012345678900', 8)).toEqual([
      { kind: 'scan', text: '0105012345678900' },
    ]);
  });

  it('leaves a person typing alone: the same characters at typing speed are typing', () => {
    const decisions = typeInto(new WedgeBurstDetector(), '0105012345678900', 120);
    expect(decisions.every((decision) => decision.kind === 'typing')).toBe(true);
    expect(
      decisions.map((decision) => (decision.kind === 'typing' ? decision.text : '')).join(''),
    ).toBe('0105012345678900');
  });

  it('ends a scanner burst without suffix when the keys stop, where scanners send none', () => {
    const detector = new WedgeBurstDetector({ ...DEFAULT_WEDGE_TIMINGS, suffixRequired: false });
    expect(typeInto(detector, '(01)05012345678900', 5, { suffix: null })).toEqual([]);
    expect(detector.idle(1000 + 18 * 5 + 10)).toEqual({ kind: 'pending' });
    expect(detector.idle(1000 + 18 * 5 + 100)).toEqual({
      kind: 'scan',
      text: '(01)05012345678900',
    });
  });

  it('separates typing before a scan from the scan itself', () => {
    const detector = new WedgeBurstDetector();
    const typed = typeInto(detector, 'abc', 200, { suffix: null });
    const scanned = typeInto(detector, '0105012345678900', 6, { startAt: 2000 });
    expect([...typed, ...scanned]).toEqual([
      { kind: 'typing', text: 'a' },
      { kind: 'typing', text: 'b' },
      { kind: 'typing', text: 'c' },
      { kind: 'scan', text: '0105012345678900' },
    ]);
  });

  it('calls a fast burst too short for any barcode typing (a key held, two keys at once)', () => {
    expect(typeInto(new WedgeBurstDetector(), 'aaaa', 5)).toEqual([
      { kind: 'typing', text: 'aaaa' },
    ]);
  });

  it('takes GS however the scanner sends it: Ctrl+], the character, and keeps it in the scan', () => {
    const detector = new WedgeBurstDetector();
    let at = 0;
    const keys = [
      ...'0105012345678900'.split('').map((key) => ({ key })),
      { key: ']', ctrlKey: true },
      ...'10LOT1'.split('').map((key) => ({ key })),
      { key: GROUP_SEPARATOR },
      ...'21S1'.split('').map((key) => ({ key })),
      { key: 'Enter' },
    ];
    const decisions = keys.map((key) => detector.keystroke(key, (at += 4)));
    expect(decisions.at(-1)).toEqual({
      kind: 'scan',
      text: `0105012345678900${GROUP_SEPARATOR}10LOT1${GROUP_SEPARATOR}21S1`,
    });
  });

  it('ignores Shift and other named keys, which a scanner sends around capitals', () => {
    expect(wedgeInputOf({ key: 'Shift' })).toEqual({ kind: 'ignored' });
    expect(wedgeInputOf({ key: 'a', ctrlKey: true })).toEqual({ kind: 'ignored' });
    expect(wedgeInputOf({ key: 'Tab' })).toEqual({ kind: 'end-of-scan' });
  });

  it('never loses or invents a character of a scan, whatever its content (property)', () => {
    fc.assert(
      fc.property(
        fc.string({
          minLength: 8,
          maxLength: 80,
          unit: fc.constantFrom(...'0123456789ABCZ()-/'.split('')),
        }),
        fc.integer({ min: 0, max: 30 }),
        (text, gap) => {
          expect(typeInto(new WedgeBurstDetector(), text, gap)).toEqual([{ kind: 'scan', text }]);
        },
      ),
    );
  });

  it('never reads a scan that arrived in two pieces: a piece can be a valid UDI with a cut lot', () => {
    const detector = new WedgeBurstDetector();
    const first = typeInto(detector, '0105012345678900101', 5, { suffix: null });
    // The pause, then the rest of the same scan with its Enter.
    const rest = typeInto(detector, '0LOT-1', 5, { startAt: 1000 + 19 * 5 + 120 });
    expect([...first, ...rest]).toEqual([
      { kind: 'typing', text: '0105012345678900101' },
      { kind: 'broken-scan', text: '0LOT-1' },
    ]);
    // The next whole scan reads normally again.
    expect(typeInto(detector, '0105012345678900', 5, { startAt: 5000 })).toEqual([
      { kind: 'scan', text: '0105012345678900' },
    ]);
  });

  it('does not take a burst without its suffix as a scan where scanners send one', () => {
    const detector = new WedgeBurstDetector();
    typeInto(detector, '0105012345678900', 5, { suffix: null });
    expect(detector.idle(5000)).toEqual({ kind: 'typing', text: '0105012345678900' });
  });
});
