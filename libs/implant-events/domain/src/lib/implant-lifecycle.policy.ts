import { ConflictError } from '@implant-trace/domain-kernel';

export const IMPLANT_STATUSES = ['implanted', 'explanted', 'entered-in-error'] as const;
export type ImplantStatus = (typeof IMPLANT_STATUSES)[number];
export type ImplantTransition = 'explant' | 'enter-in-error';

/** The transition asked for cannot follow the implant's status. */
export class ImplantTransitionRefusedError extends ConflictError {
  override readonly problemType = 'urn:implant-trace:problem:implant-transition-refused';
}

const REFUSALS: Record<Exclude<ImplantStatus, 'implanted'>, Record<ImplantTransition, string>> = {
  explanted: {
    explant: 'the implant has already been explanted',
    'enter-in-error': 'an explanted implant cannot be entered in error; its history stands',
  },
  'entered-in-error': {
    explant: 'the implant record was entered in error; nothing was implanted to explant',
    'enter-in-error': 'the implant record has already been entered in error',
  },
};

/**
 * An implant leaves the active set once, by explant or by correction, and its record is kept
 * for good; any other transition is refused.
 */
export function nextImplantStatus(
  current: ImplantStatus,
  transition: ImplantTransition,
): ImplantStatus {
  if (current !== 'implanted') {
    throw new ImplantTransitionRefusedError(REFUSALS[current][transition]);
  }
  return transition === 'explant' ? 'explanted' : 'entered-in-error';
}
