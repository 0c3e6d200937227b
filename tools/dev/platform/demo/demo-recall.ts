import type { PlatformClient } from '../platform-client';
import type { DemoDevice } from './demo-catalogue';
import { demoLot } from './demo-implants';

export const DEMO_RECALL_TITLE =
  'Meridian Acetabular Cup: revision rates above benchmark (metal-on-metal wear)';

export interface DemoRecallResult {
  recallId: string;
  alreadyOpen: boolean;
  matchedImplants: number;
  matchedPatients: number;
  possibleImplants: number;
  hospitals: number;
}

/**
 * One open recall with matches: two lots of the demo's metal-on-metal cup, every size, as a
 * field safety notice would list them. Issued once; a later start finds it open.
 */
export async function issueDemoRecall(
  client: PlatformClient,
  recallMatchingUrl: string,
  devices: readonly DemoDevice[],
): Promise<DemoRecallResult> {
  const bearer = await client.token('regulator', undefined, 'demo-regulator');
  const cups = devices.filter((device) => device.family.modelPrefix === 'MAC');
  const [first] = cups;
  if (first === undefined) throw new Error('the demo catalogue has no cups');
  const lots = [demoLot(first.family, 2), demoLot(first.family, 3)];
  const listed = await client.call(`${recallMatchingUrl}/v1/recalls`, { bearer });
  if (listed.status !== 200) {
    throw new Error(`GET /v1/recalls answered ${listed.status}: ${JSON.stringify(listed.body)}`);
  }
  const open = (
    listed.body as { items: { recallId: string; title: string; status: string }[] }
  ).items.find((recall) => recall.title === DEMO_RECALL_TITLE && recall.status === 'open');
  let recallId = open?.recallId;
  if (recallId === undefined) {
    const issued = await client.call(`${recallMatchingUrl}/v1/recalls`, {
      method: 'POST',
      bearer,
      idempotencyKey: `demo-recall-${Date.now()}`,
      body: {
        title: DEMO_RECALL_TITLE,
        reason:
          'Registry data show revision rates above the benchmark for lots ' +
          `${lots.join(' and ')}: follow up every patient, with blood metal ion levels and imaging.`,
        class: 'II',
        manufacturer: first.family.manufacturer,
        fsnReference: 'FSN-DEMO-2026-001',
        actionsUnderwayBy: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
        actionsCompleteBy: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
        criteria: { deviceIdentifiers: cups.map((cup) => cup.gtin), lotNumbers: lots },
      },
    });
    if (issued.status !== 201) {
      throw new Error(`POST /v1/recalls answered ${issued.status}: ${JSON.stringify(issued.body)}`);
    }
    recallId = (issued.body as { recallId: string }).recallId;
  }
  // Matching runs behind the recall's event: wait until the count has settled.
  const view = await settledProgress(
    client,
    `${recallMatchingUrl}/v1/recalls/${recallId}/progress`,
    bearer,
  );
  return {
    recallId,
    alreadyOpen: open !== undefined,
    matchedImplants: view.affected.implants,
    matchedPatients: view.affected.patients,
    possibleImplants: view.possible.implants,
    hospitals: view.affected.hospitals,
  };
}

interface ProgressView {
  affected: { implants: number; patients: number; hospitals: number };
  possible: { implants: number };
}

async function settledProgress(client: PlatformClient, url: string, bearer: string) {
  const deadline = Date.now() + 180_000;
  let last: ProgressView | undefined;
  let unchanged = 0;
  while (Date.now() < deadline) {
    const progress = await client.call(url, { bearer });
    if (progress.status !== 200) {
      throw new Error(`GET ${url} answered ${progress.status}: ${JSON.stringify(progress.body)}`);
    }
    const view = progress.body as ProgressView;
    // Stable over three polls: recall-matching has projected the implants recorded before it.
    unchanged = view.affected.implants === last?.affected.implants ? unchanged + 1 : 0;
    if (view.affected.implants > 0 && unchanged >= 2) return view;
    last = view;
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  throw new Error(
    `the demo recall's matches did not settle within 180 s (last: ${JSON.stringify(last)})`,
  );
}
