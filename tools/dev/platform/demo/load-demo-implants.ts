import type { PlatformClient } from '../platform-client';
import type { DemoRecording } from './demo-implants';

export interface DemoImplantsResult {
  recorded: number;
  alreadyPresent: boolean;
  byKind: Record<string, number>;
  flaggedForReview: number;
}

const IN_FLIGHT = 8;

/**
 * Records the demo implants through `POST /v1/implants`, as theatre staff would, a few at a
 * time. A platform that already holds them (an earlier `npm start`) is left as it is.
 */
export async function loadDemoImplants(
  client: PlatformClient,
  implantEventsUrl: string,
  recordings: readonly DemoRecording[],
): Promise<DemoImplantsResult> {
  const [first] = recordings;
  if (first === undefined)
    return { recorded: 0, alreadyPresent: false, byKind: {}, flaggedForReview: 0 };
  const firstPatient = (first.body['patient'] as { nhsNumber?: string }).nhsNumber;
  if (firstPatient !== undefined) {
    const existing = await client.call(`${implantEventsUrl}/v1/patients/${firstPatient}/implants`, {
      bearer: await client.token('hospital-system', first.hospital.ods, 'demo-loader'),
    });
    const implants = (existing.body as { implants?: unknown[] } | undefined)?.implants;
    if (existing.status === 200 && Array.isArray(implants) && implants.length > 0) {
      return { recorded: 0, alreadyPresent: true, byKind: {}, flaggedForReview: 0 };
    }
  }
  const byKind: Record<string, number> = {};
  let flaggedForReview = 0;
  let next = 0;
  const failures: string[] = [];
  const worker = async () => {
    while (next < recordings.length && failures.length === 0) {
      const recording = recordings[next++];
      if (recording === undefined) return;
      const bearer = await client.token(
        'theatre',
        recording.hospital.ods,
        `demo-theatre-${recording.hospital.ods}-${recording.staff}`,
      );
      const response = await client.call(`${implantEventsUrl}/v1/implants`, {
        method: 'POST',
        body: recording.body,
        bearer,
        idempotencyKey: recording.idempotencyKey,
      });
      if (response.status !== 201 && response.status !== 200) {
        failures.push(
          `POST /v1/implants (${recording.idempotencyKey}) answered ${response.status}: ${JSON.stringify(response.body)}`,
        );
        return;
      }
      byKind[recording.kind] = (byKind[recording.kind] ?? 0) + 1;
      const flags = (response.body as { reviewFlags?: unknown[] } | undefined)?.reviewFlags;
      if (Array.isArray(flags) && flags.length > 0) flaggedForReview += 1;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  if (failures.length > 0) throw new Error(failures[0]);
  return { recorded: recordings.length, alreadyPresent: false, byKind, flaggedForReview };
}
