import '@implant-trace/contracts';

import { cloudEventHeaders } from '../broker/cloud-event-headers';
import { decodeMessage } from './decode-message';

const attributes = {
  id: '0190f5a2-7c4e-7b1a-9f3e-2d4c6b8a0e1f',
  type: 'implant.explanted.v1',
  source: 'implant-events',
  time: '2026-11-25T08:00:00.000Z',
  subject: '0190f5a2-7c4e-7b1a-9f3e-000000000001',
  correlationId: 'req-1',
};
const body = {
  implantId: attributes.subject,
  hospitalOds: 'RXH01',
  explantedAt: '2026-11-25T08:00:00.000Z',
  recordedBy: 'nurse-1',
};
const encode = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('decodeMessage', () => {
  it('round-trips the CloudEvents attributes and validates the payload', () => {
    const result = decodeMessage(cloudEventHeaders(attributes), encode(body));
    expect(result).toEqual({ kind: 'event', envelope: { ...attributes, data: body } });
  });

  it.each([
    ['missing headers', {}, encode(body), 'missing CloudEvents headers'],
    [
      'unknown version',
      cloudEventHeaders({ ...attributes, type: 'implant.explanted.v9' }),
      encode(body),
      'unknown event type or version implant.explanted.v9',
    ],
    ['bad JSON', cloudEventHeaders(attributes), Buffer.from('{not json'), 'body is not valid JSON'],
    ['empty body', cloudEventHeaders(attributes), null, 'body is not valid JSON'],
    [
      'schema-invalid',
      cloudEventHeaders(attributes),
      encode({ ...body, hospitalOds: 'lower' }),
      'schema-invalid implant.explanted.v1: hospitalOds: hospitalOds must be an upper-case ODS code',
    ],
  ])('%s is poison with its reason', (_name, headers, value, reason) => {
    expect(decodeMessage(headers, value)).toEqual({ kind: 'poison', reason });
  });

  it('accepts a field added later within the version', () => {
    const result = decodeMessage(cloudEventHeaders(attributes), encode({ ...body, newField: 1 }));
    expect(result.kind).toBe('event');
  });
});
