/** A batch's send that took longer than the relay's deadline; its unsent rows are given back. */
export class SendDeadlineExceededError extends Error {
  constructor(
    readonly lanes: readonly number[],
    readonly deadlineMs: number,
  ) {
    super(
      `outbox lanes ${lanes.join(', ')}: the send did not settle within ${deadlineMs} ms; its unsent rows ` +
        `are given back and sent again by a new producer`,
    );
    this.name = 'SendDeadlineExceededError';
  }
}
