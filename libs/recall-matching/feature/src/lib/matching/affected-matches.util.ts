/**
 * The matches a recall affects, for its lists and counts: the live ones, and, once it is
 * closed, those it had when it closed (the close withdraws them, but they were acted on).
 */
export const AFFECTED_MATCH = `(m.live OR m.withdrawal_reason = 'recall-closed')`;
