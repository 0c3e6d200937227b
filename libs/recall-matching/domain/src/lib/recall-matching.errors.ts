import { ConflictError, NotFoundError } from '@implant-trace/domain-kernel';

export class RecallNotFoundError extends NotFoundError {
  constructor(recallId: string) {
    super(`No recall ${recallId}`);
  }
}

/** A closed recall is a record of what was done: it is not changed or closed again. */
export class RecallClosedError extends ConflictError {
  override readonly problemType = 'urn:implant-trace:problem:recall-closed';

  constructor(recallId: string) {
    super(`Recall ${recallId} is closed`);
  }
}

export class MatchNotFoundError extends NotFoundError {
  constructor(matchId: string) {
    super(`No match ${matchId} under this recall at your hospital`);
  }
}
