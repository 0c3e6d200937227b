/** The verdicts of `POST /v1/scans/check` and `POST /v1/implants` (API.md). */
export const VERDICTS = [
  'OK',
  'RECALLED',
  'EXPIRED',
  'UNKNOWN_DEVICE',
  'UNREADABLE',
  'UNVERIFIED',
] as const;
export type Verdict = (typeof VERDICTS)[number];

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}

/** Colour tokens of the page's palette; every one is paired with words and a sound. */
export type VerdictTone = 'go' | 'stop' | 'caution';

/** Tones the page plays: distinct rhythms, so a verdict is heard without looking. */
export type VerdictSound = 'confirm' | 'alarm' | 'warning';

export interface VerdictPresentation {
  verdict: Verdict;
  /** The word shown full-screen, largest on the page. */
  headline: string;
  /** Said after the headline, smaller (e.g. that the recording was made offline). */
  qualifier?: string;
  /** One sentence saying what to do. */
  instruction: string;
  tone: VerdictTone;
  sound: VerdictSound;
  /** True when the person must press the acknowledgement before going on. */
  requiresAcknowledgement: boolean;
  acknowledgeLabel: string;
  /** Screen readers announce it at once (`role="alert"`) rather than politely. */
  assertive: boolean;
}

const PRESENTATIONS: Record<Verdict, Omit<VerdictPresentation, 'verdict'>> = {
  OK: {
    headline: 'OK',
    instruction: 'Device known, in date and not recalled. You can record it.',
    tone: 'go',
    sound: 'confirm',
    requiresAcknowledgement: false,
    acknowledgeLabel: 'Continue',
    assertive: false,
  },
  RECALLED: {
    headline: 'RECALLED',
    instruction: 'Do not implant this device. Set it aside and tell the team leader.',
    tone: 'stop',
    sound: 'alarm',
    requiresAcknowledgement: true,
    acknowledgeLabel: 'I have set this device aside',
    assertive: true,
  },
  EXPIRED: {
    headline: 'EXPIRED',
    instruction: 'The device is past its expiry date. Do not implant it.',
    tone: 'stop',
    sound: 'alarm',
    requiresAcknowledgement: true,
    acknowledgeLabel: 'I have set this device aside',
    assertive: true,
  },
  UNKNOWN_DEVICE: {
    headline: 'UNKNOWN DEVICE',
    instruction: 'This device is not in the catalogue: it cannot be checked for recalls.',
    tone: 'caution',
    sound: 'warning',
    requiresAcknowledgement: true,
    acknowledgeLabel: 'I understand it cannot be checked',
    assertive: true,
  },
  UNREADABLE: {
    headline: 'UNREADABLE',
    instruction: 'The barcode could not be read. Scan it again or enter the label by hand.',
    tone: 'caution',
    sound: 'warning',
    requiresAcknowledgement: false,
    acknowledgeLabel: 'Scan again',
    assertive: true,
  },
  UNVERIFIED: {
    headline: 'UNVERIFIED',
    instruction: 'The recall check could not be completed. Do not assume this device is safe.',
    tone: 'caution',
    sound: 'warning',
    requiresAcknowledgement: true,
    acknowledgeLabel: 'I understand it is not verified',
    assertive: true,
  },
};

export function presentVerdict(verdict: Verdict): VerdictPresentation {
  return { verdict, ...PRESENTATIONS[verdict] };
}

/**
 * A recording queued offline is checked when it is sent, perhaps after the device went in.
 * A RECALLED then is not a stop at the table but an urgent report: said so, just as loudly.
 */
export function presentLateVerdict(verdict: Verdict): VerdictPresentation {
  const base = presentVerdict(verdict);
  if (verdict !== 'RECALLED' && verdict !== 'EXPIRED') return base;
  return {
    ...base,
    qualifier: 'recorded while offline',
    instruction:
      'A device recorded while offline is recalled. Tell the surgeon and the team leader now; the implant is flagged for review.',
    acknowledgeLabel: 'I have told the team',
  };
}
