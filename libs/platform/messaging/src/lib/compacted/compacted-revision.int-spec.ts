import type { DeviceUpdatedV1, TopicDefinition } from '@implant-trace/contracts';
import { DEVICES_TOPIC, EVENTS } from '@implant-trace/contracts';
import { uuidV7 } from '@implant-trace/identifiers';
import { uniqueName, waitFor } from '@implant-trace/platform-testing';
import { randomUUID } from 'node:crypto';

import { cloudEventHeaders } from '../broker/cloud-event-headers';
import { EventConsumer } from '../consumer/event-consumer';
import { provisionTopics } from '../topics/topic-provisioner';
import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { applyNewerRevision } from './compacted-revision.util';
import type { RevisionDecision } from './revision.policy';

describe('a replica of a compacted topic', () => {
  const bed = new MessagingTestBed(1);
  const devices: TopicDefinition = {
    ...DEVICES_TOPIC,
    name: uniqueName('it.devices'),
    partitions: 1,
  };
  const registered = { ...EVENTS.deviceRegisteredV1, topic: devices };
  const updated = { ...EVENTS.deviceUpdatedV1, topic: devices };

  beforeAll(async () => {
    await bed.setUp();
    await provisionTopics(bed.kafka, [devices]);
    await bed.dataSource.query(
      `CREATE TABLE device_replica (device_id uuid PRIMARY KEY, revision integer NOT NULL, brand text NOT NULL)`,
    );
  });

  afterAll(async () => {
    const admin = bed.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [devices.name, `${devices.name}.dlq`] });
    await admin.disconnect();
    await bed.tearDown();
  });

  function record(deviceId: string, revision: number, brand: string): DeviceUpdatedV1 {
    return {
      deviceId,
      revision,
      identifiers: [{ deviceIdentifier: '05012345678900', issuingAgency: 'GS1', type: 'primary' }],
      manufacturer: 'Acme Orthopaedics',
      brand,
      implantable: true,
      mriSafety: 'conditional',
      labelCarries: {
        lotNumber: true,
        serialNumber: true,
        expirationDate: true,
        manufactureDate: false,
      },
      status: 'on-market',
      updatedAt: new Date().toISOString(),
    };
  }

  /** Each send is its own event (its own id): the inbox alone would apply every one. */
  async function send(type: string, data: DeviceUpdatedV1): Promise<void> {
    const headers = cloudEventHeaders({
      id: randomUUID(),
      type,
      source: 'it',
      time: new Date().toISOString(),
      subject: data.deviceId,
    });
    await bed.producer.send({
      topic: devices.name,
      acks: -1,
      messages: [{ key: data.deviceId, headers, value: JSON.stringify(data) }],
    });
  }

  it('keeps the newest revision of each record and ignores older or equal ones', async () => {
    const hip = uuidV7();
    const knee = uuidV7();
    await send(registered.type, record(hip, 1, 'Hip 1'));
    await send(updated.type, record(hip, 3, 'Hip 3'));
    await send(updated.type, record(hip, 2, 'Hip 2, stale'));
    // What a relay taking over a lease may send again: the held revision, re-published.
    await send(updated.type, record(hip, 3, 'Hip 3, duplicate'));
    await send(updated.type, record(knee, 2, 'Knee 2'));
    await send(registered.type, record(knee, 1, 'Knee 1, stale'));

    const decisions: RevisionDecision[] = [];
    const project = async (data: DeviceUpdatedV1, tx: Parameters<typeof applyNewerRevision>[0]) => {
      decisions.push(
        await applyNewerRevision(
          tx,
          { table: 'device_replica', keyColumn: 'device_id' },
          { key: data.deviceId, revision: data.revision },
          async () => {
            await tx.query(
              `INSERT INTO device_replica (device_id, revision, brand) VALUES ($1, $2, $3)
               ON CONFLICT (device_id) DO UPDATE SET revision = EXCLUDED.revision, brand = EXCLUDED.brand`,
              [data.deviceId, data.revision, data.brand],
            );
          },
        ),
      );
    };
    const consumer = new EventConsumer(bed.dataSource, bed.kafka, {
      groupId: uniqueName('it-replica'),
      topics: [devices],
    })
      .on(registered, (event, tx) => project(event.data, tx))
      .on(updated, (event, tx) => project(event.data, tx));
    await consumer.start();
    try {
      await waitFor(() => consumer.stats.applied === 6, { description: 'all six records' });
    } finally {
      await consumer.stop();
    }

    expect(decisions).toEqual(['apply', 'apply', 'stale', 'already-applied', 'apply', 'stale']);
    const replica = (await bed.dataSource.query(
      `SELECT device_id AS "deviceId", revision, brand FROM device_replica ORDER BY revision`,
    )) as { deviceId: string; revision: number; brand: string }[];
    expect(replica).toEqual([
      { deviceId: knee, revision: 2, brand: 'Knee 2' },
      { deviceId: hip, revision: 3, brand: 'Hip 3' },
    ]);
  });
});
