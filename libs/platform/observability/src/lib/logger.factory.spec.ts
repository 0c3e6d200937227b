import { Writable } from 'node:stream';

import { createLogger } from './logger.factory';
import { runWithRequestContext } from './request-context.util';

function capture(): { lines: Record<string, unknown>[]; stream: Writable } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes JSON with service and request ids and masks NHS numbers in message and fields', () => {
    const { lines, stream } = capture();
    const logger = createLogger({ service: 'implant-events', level: 'info', destination: stream });
    runWithRequestContext({ requestId: 'req-1', correlationId: 'corr-1' }, () => {
      logger.info({ url: '/v1/patients/9434765919/implants' }, 'lookup for 9434765919');
    });
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'info',
        service: 'implant-events',
        requestId: 'req-1',
        correlationId: 'corr-1',
        url: '/v1/patients/943 *** **19/implants',
        msg: 'lookup for 943 *** **19',
      }),
    ]);
  });
});
