import { DEVICES_TOPIC } from '@implant-trace/contracts';
import { mintDevelopmentToken } from '@implant-trace/platform-auth';
import { createSchemaDataSource } from '@implant-trace/platform-database';
import { KafkaConnection, readTopic } from '@implant-trace/platform-messaging';
import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

import type { RunningService } from './support/service-process';
import { startService } from './support/service-process';

function gtin14(body13: string): string {
  const digits = [...body13].map(Number);
  const sum = digits.reduce((acc, d, i) => acc + d * (i % 2 === 0 ? 3 : 1), 0);
  return `${body13}${(10 - (sum % 10)) % 10}`;
}

describe('device-registry, end to end', () => {
  const schema = uniqueName('e2e_device_registry');
  let service: RunningService;

  beforeAll(async () => {
    service = await startService('device-registry', { port: 3101, schema });
  });

  afterAll(async () => {
    await service.stop();
    const cleanup = createSchemaDataSource({ url: testInfrastructure().databaseUrl, schema });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
  });

  async function token(role: 'regulator' | 'theatre', ods?: string): Promise<string> {
    return mintDevelopmentToken({
      role,
      ...(ods === undefined ? {} : { ods }),
      secret: service.jwtSecret,
      issuer: service.issuer,
      audience: service.audience,
    });
  }

  it('registers a device over HTTP, resolves every identifier, and publishes its full record', async () => {
    const stamp = String(Date.now()).slice(-9);
    const primary = gtin14(`0501${stamp}`);
    const box = gtin14(`1501${stamp}`);
    const created = await fetch(`${service.baseUrl}/v1/devices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('regulator')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        identifiers: [
          { deviceIdentifier: primary, issuingAgency: 'GS1', type: 'primary' },
          { deviceIdentifier: box, issuingAgency: 'GS1', type: 'package', quantityPerPackage: 5 },
        ],
        manufacturer: 'E2E Orthopaedics Ltd',
        brand: 'E2E Hip',
        model: 'Cup 52',
        catalogNumber: `REF-${stamp}`,
        implantable: true,
        mriSafety: 'conditional',
        labelCarries: {
          lotNumber: true,
          serialNumber: true,
          expirationDate: true,
          manufactureDate: false,
        },
      }),
    });
    expect(created.status).toBe(201);
    const { deviceId } = (await created.json()) as { deviceId: string };

    const theatre = await token('theatre', 'RXH01');
    for (const identifier of [primary, box]) {
      const found = await fetch(`${service.baseUrl}/v1/devices/by-identifier/${identifier}`, {
        headers: { authorization: `Bearer ${theatre}` },
      });
      expect(found.status).toBe(200);
      expect(((await found.json()) as { deviceId: string }).deviceId).toBe(deviceId);
    }

    const kafka = new KafkaConnection({
      brokers: testInfrastructure().kafkaBrokers,
      clientId: 'e2e-device-registry',
    });
    const messages = await readTopic(kafka, DEVICES_TOPIC.name, {
      until: (read) => read.some((m) => m.key === deviceId),
      timeoutMs: 30_000,
    });
    const published = messages.find((m) => m.key === deviceId);
    expect(published?.headers['ce_type']).toBe('device.registered.v1');
    expect(published?.decoded).toMatchObject({
      kind: 'event',
      envelope: {
        subject: deviceId,
        data: {
          deviceId,
          manufacturer: 'E2E Orthopaedics Ltd',
          identifiers: expect.arrayContaining([
            expect.objectContaining({ deviceIdentifier: primary, type: 'primary' }),
            expect.objectContaining({ deviceIdentifier: box, type: 'package' }),
          ]),
        },
      },
    });
  });

  it('refuses an unauthenticated registration and a theatre token, storing nothing', async () => {
    const body = JSON.stringify({ identifiers: [], manufacturer: 'x' });
    const anonymous = await fetch(`${service.baseUrl}/v1/devices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toContain('application/problem+json');
    const theatre = await fetch(`${service.baseUrl}/v1/devices`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${await token('theatre', 'RXH01')}`,
        'content-type': 'application/json',
      },
      body,
    });
    expect(theatre.status).toBe(403);
  });
});
