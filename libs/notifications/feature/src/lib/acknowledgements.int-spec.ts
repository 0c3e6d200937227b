import { randomUUID } from 'node:crypto';

import { ACKNOWLEDGEMENTS_TOPIC, EVENTS } from '@implant-trace/contracts';
import { KafkaConnection, readTopic } from '@implant-trace/platform-messaging';
import { testInfrastructure, waitFor } from '@implant-trace/platform-testing';

import {
  freshOds,
  type JsonBody,
  matchFound,
  Service,
  Upstream,
} from '../test-support/notifications.test-bed';

describe('acknowledgements of a recall notice', () => {
  const upstream = new Upstream();
  const service = new Service({ runWorkers: false });
  const kafka = new KafkaConnection({
    clientId: 'it-acknowledgements',
    brokers: testInfrastructure().kafkaBrokers,
  });

  beforeAll(async () => {
    await upstream.start();
    await service.start();
  });
  afterAll(async () => {
    await service.drop();
    await upstream.stop();
  });

  /** A hospital that a match of a fresh recall has reached. */
  async function notifiedHospital(): Promise<{ ods: string; recallId: string }> {
    const ods = freshOds();
    const recallId = randomUUID();
    await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods, { recallId })]);
    await waitFor(
      async () => (await service.call('GET', '/v1/events', { ods })).body['items']?.length === 1,
      { description: 'the match to reach the feed' },
    );
    return { ods, recallId };
  }

  const acknowledge = (ods: string, recallId: string, body: JsonBody) =>
    service.call('POST', `/v1/recalls/${recallId}/acknowledgements`, { ods, body });

  it('moves forward through the stages, each timestamped and published for the regulator', async () => {
    const { ods, recallId } = await notifiedHospital();
    const received = await acknowledge(ods, recallId, { stage: 'received' });
    expect(received).toMatchObject({
      status: 201,
      body: { recallId, hospitalOds: ods, stage: 'received', acknowledgedAt: expect.any(String) },
    });
    await acknowledge(ods, recallId, { stage: 'action-underway', note: 'Patients being called' });
    const complete = await acknowledge(ods, recallId, { stage: 'action-complete' });
    expect(complete.body['history'].map((h: JsonBody) => h['stage'])).toEqual([
      'received',
      'action-underway',
      'action-complete',
    ]);
    const current = await service.call('GET', `/v1/recalls/${recallId}/acknowledgements`, { ods });
    expect(current.body).toMatchObject({ stage: 'action-complete' });

    const published = await readTopic(kafka, ACKNOWLEDGEMENTS_TOPIC.name, {
      until: (read) =>
        read.filter((m) => m.key === recallId && m.decoded.kind === 'event').length === 3,
    });
    const stages = published
      .filter((m) => m.key === recallId)
      .map((m) => (m.decoded.kind === 'event' ? (m.decoded.envelope.data as JsonBody) : {}));
    expect(stages).toEqual([
      expect.objectContaining({
        stage: 'received',
        hospitalOds: ods,
        acknowledgedBy: expect.any(String),
      }),
      expect.objectContaining({ stage: 'action-underway', note: 'Patients being called' }),
      expect.objectContaining({ stage: 'action-complete' }),
    ]);
  });

  it('never moves back or repeats a stage, and publishes nothing when it refuses', async () => {
    const { ods, recallId } = await notifiedHospital();
    await acknowledge(ods, recallId, { stage: 'action-underway' });
    for (const stage of ['received', 'action-underway']) {
      const refused = await acknowledge(ods, recallId, { stage });
      expect(refused).toMatchObject({ status: 409, body: { errors: [{ field: 'stage' }] } });
    }
    await acknowledge(ods, recallId, { stage: 'not-applicable' });
    expect((await acknowledge(ods, recallId, { stage: 'action-complete' })).status).toBe(409);
    const published = await service.published(ACKNOWLEDGEMENTS_TOPIC.name);
    expect(
      published.filter((event) => event.key === recallId).map((e) => e.data?.['stage']),
    ).toEqual(['action-underway', 'not-applicable']);
  });

  it('records one of two concurrent posts of the same stage and refuses the other', async () => {
    const { ods, recallId } = await notifiedHospital();
    const answers = await Promise.all([
      acknowledge(ods, recallId, { stage: 'received' }),
      acknowledge(ods, recallId, { stage: 'received' }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  });

  it('refuses a recall whose notice never reached the hospital, and another hospital’s view', async () => {
    const { ods, recallId } = await notifiedHospital();
    const other = freshOds();
    expect((await acknowledge(other, recallId, { stage: 'received' })).status).toBe(404);
    expect((await acknowledge(ods, randomUUID(), { stage: 'received' })).status).toBe(404);
    await acknowledge(ods, recallId, { stage: 'received' });
    const theirs = await service.call('GET', `/v1/recalls/${recallId}/acknowledgements`, {
      ods: other,
    });
    expect(theirs.status).toBe(404);
  });

  it('names every bad field and stores nothing', async () => {
    const { ods, recallId } = await notifiedHospital();
    const refused = await acknowledge(ods, recallId, { stage: 'done', note: 'x'.repeat(2001) });
    expect(refused.status).toBe(400);
    expect(new Set(refused.body['errors'].map((e: JsonBody) => e['field']))).toEqual(
      new Set(['stage', 'note']),
    );
    const missing = await acknowledge(ods, recallId, {});
    expect(missing).toMatchObject({ status: 400, body: { errors: [{ field: 'stage' }] } });
    const emptyNote = await acknowledge(ods, recallId, { stage: 'received', note: '' });
    expect(emptyNote).toMatchObject({ status: 400, body: { errors: [{ field: 'note' }] } });
    const badId = await acknowledge(ods, 'not-a-uuid', { stage: 'received' });
    expect(badId.status).toBe(400);
    expect(
      (await service.call('GET', `/v1/recalls/${recallId}/acknowledgements`, { ods })).status,
    ).toBe(404);
  });
});
