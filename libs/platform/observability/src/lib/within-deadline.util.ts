/**
 * `work`'s outcome, or the error `expired` makes once `ms` pass first. The work is not
 * stopped (a kafkajs request cannot be cancelled); its later failure is swallowed, since
 * nobody waits for it any more.
 */
export async function withinDeadline<T>(
  work: Promise<T>,
  ms: number,
  expired: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(expired()), ms);
  });
  work.catch(() => undefined);
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
