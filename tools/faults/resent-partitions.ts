import { OUTBOX_OWNERS } from './cluster-faults';
import type { PlatformUnderTest } from './platform-under-test';

const COUNTER = 'outbox_partitions_unacknowledged_total';

/** The counter's total over its labels in a Prometheus text exposition. */
export function counterTotal(exposition: string, name: string): number {
  return exposition
    .split('\n')
    .filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/**
 * How often each relay found a partition left out of a batch kafkajs reported written and sent
 * it again (KL-20), since its process last started: the fault the relay's check exists for,
 * seen under the suite's own faults.
 */
export async function describeResentPartitions(platform: PlatformUnderTest): Promise<string> {
  const counts = await Promise.all(
    OUTBOX_OWNERS.map(async (owner) => {
      const exposition = await fetch(`${platform.urlOf(owner)}/metrics`).then(
        (response) => response.text(),
        () => undefined,
      );
      const count = exposition === undefined ? 'unknown' : counterTotal(exposition, COUNTER);
      return `${owner} ${count}`;
    }),
  );
  return `partitions left out of a batch's answer and sent again by the relays: ${counts.join(', ')}`;
}
