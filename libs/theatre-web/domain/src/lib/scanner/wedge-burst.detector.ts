/**
 * A keyboard-wedge scanner types a whole barcode in one burst, a few milliseconds per
 * character; a person types tens of milliseconds apart. The detector is fed every keystroke
 * with its time and says when a burst was a scan, so that a scan is caught whichever element
 * has the focus and typing is left alone. It holds no timers: the page calls `idle` when no key
 * came for `endOfBurstMs`, for scanners set up without an Enter suffix.
 */

/** GS (ASCII 29), the FNC1 separator of GS1 element strings. */
export const GROUP_SEPARATOR = '\u001d';

export interface WedgeTimings {
  /** The longest gap between two characters of one burst. */
  maxInterKeyMs: number;
  /** Fewer characters than this are never a scan (no UDI or GSRN is shorter). */
  minScanLength: number;
  /**
   * The trust's scanners end every scan with Enter or Tab. Then a burst cut by a pause is a
   * scan that arrived in pieces (a busy workstation, a wireless scanner's buffer): neither
   * piece is taken, because a piece can parse as a valid UDI with a truncated lot or serial
   * and be checked against the wrong recall.
   */
  suffixRequired: boolean;
  /** How long after a cut burst a continuation still makes the scan a broken one. */
  resumeWindowMs: number;
}

export const DEFAULT_WEDGE_TIMINGS: WedgeTimings = {
  maxInterKeyMs: 40,
  minScanLength: 8,
  suffixRequired: true,
  resumeWindowMs: 1000,
};

/** A keystroke as the browser reports it (`KeyboardEvent.key` and its modifiers). */
export interface WedgeKey {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
}

export type WedgeInput =
  { kind: 'character'; character: string } | { kind: 'end-of-scan' } | { kind: 'ignored' };

/**
 * What a keystroke stands for. Scanners send GS as Ctrl+] (the ASCII control chord), as the
 * character itself, or as a key the browser cannot name; Enter and Tab are the suffixes a
 * scanner is set up to send after the data.
 */
export function wedgeInputOf({ key, ctrlKey, altKey, metaKey }: WedgeKey): WedgeInput {
  if (key === 'Enter' || key === 'Tab') return { kind: 'end-of-scan' };
  if (ctrlKey === true && (key === ']' || key === '5')) {
    return { kind: 'character', character: GROUP_SEPARATOR };
  }
  if (key === GROUP_SEPARATOR) return { kind: 'character', character: GROUP_SEPARATOR };
  if (ctrlKey === true || altKey === true || metaKey === true) return { kind: 'ignored' };
  if (key.length === 1) return { kind: 'character', character: key };
  return { kind: 'ignored' };
}

export type WedgeDecision =
  /** Nothing decided yet: the keystroke may start or continue a burst. */
  | { kind: 'pending' }
  /** A burst ended and was a scan; `text` holds its characters, no suffix. */
  | { kind: 'scan'; text: string }
  /** The characters were typed by a person (or a burst too short to be a scan). */
  | { kind: 'typing'; text: string }
  /** A scan that arrived in pieces: to be scanned again, never read. */
  | { kind: 'broken-scan'; text: string };

export class WedgeBurstDetector {
  private characters: string[] = [];
  private lastAt: number | undefined;
  private burst = true;
  /** When a fast burst was last cut by a pause (suffix required only). */
  private cutAt: number | undefined;
  private firstAt: number | undefined;

  constructor(private readonly timings: WedgeTimings = DEFAULT_WEDGE_TIMINGS) {}

  /** Feeds one keystroke at `at` milliseconds (any monotonic clock). */
  keystroke(key: WedgeKey, at: number): WedgeDecision {
    const input = wedgeInputOf(key);
    if (input.kind === 'ignored') return { kind: 'pending' };
    if (input.kind === 'end-of-scan') {
      if (this.lastAt !== undefined && at - this.lastAt > this.timings.maxInterKeyMs) {
        this.burst = false;
      }
      return this.finish();
    }
    const gap = this.lastAt === undefined ? 0 : at - this.lastAt;
    let decision: WedgeDecision = { kind: 'pending' };
    if (this.characters.length > 0 && gap > this.timings.maxInterKeyMs) {
      // A long pause ends whatever came before; it cannot belong to the burst that follows.
      decision = this.cutOrFinish(this.lastAt ?? at);
    }
    if (this.characters.length === 0) this.firstAt = at;
    this.characters.push(input.character);
    this.lastAt = at;
    return decision;
  }

  /** Called when no key came for a while: a burst without suffix ends here. */
  idle(at: number): WedgeDecision {
    if (this.lastAt === undefined || at - this.lastAt <= this.timings.maxInterKeyMs) {
      return { kind: 'pending' };
    }
    return this.cutOrFinish(this.lastAt);
  }

  /** A pause after a fast burst: a finished scan, or (suffix required) a cut one. */
  private cutOrFinish(lastKeyAt: number): WedgeDecision {
    const fastBurst = this.burst && this.characters.length >= 2;
    if (this.timings.suffixRequired && fastBurst) {
      this.cutAt = lastKeyAt;
      const text = this.characters.join('');
      this.characters = [];
      this.lastAt = undefined;
      return { kind: 'typing', text };
    }
    return this.finish();
  }

  /** True while the characters so far came fast enough to be a scanner's. */
  get inBurst(): boolean {
    return this.characters.length > 0 && this.burst;
  }

  private finish(): WedgeDecision {
    const text = this.characters.join('');
    const wasBurst = this.burst;
    const wasScan = wasBurst && this.characters.length >= this.timings.minScanLength;
    const firstAt = this.firstAt;
    const continuesCut =
      this.cutAt !== undefined &&
      firstAt !== undefined &&
      firstAt - this.cutAt <= this.timings.resumeWindowMs;
    this.characters = [];
    this.lastAt = undefined;
    this.firstAt = undefined;
    this.burst = true;
    if (text === '') return { kind: 'pending' };
    if (wasBurst && continuesCut) {
      this.cutAt = undefined;
      return { kind: 'broken-scan', text };
    }
    this.cutAt = undefined;
    return wasScan ? { kind: 'scan', text } : { kind: 'typing', text };
  }
}
