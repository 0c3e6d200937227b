import { KafkaJSProtocolError } from 'kafkajs';

import { whileCoordinatorLoads } from './while-coordinator-loads';

const loading = () =>
  new KafkaJSProtocolError({
    type: 'COORDINATOR_LOAD_IN_PROGRESS',
    code: 14,
    retriable: true,
    message: "The coordinator is loading and hence can't process requests for this group",
  } as never);

describe('whileCoordinatorLoads', () => {
  const pauses: number[] = [];
  const pause = async (ms: number) => void pauses.push(ms);
  beforeEach(() => pauses.splice(0));

  it('asks again, backing off, while the answer is retriable, and returns the first answer', async () => {
    let asked = 0;
    const answer = await whileCoordinatorLoads(async () => {
      asked += 1;
      if (asked < 4) throw loading();
      return 'offsets';
    }, pause);
    expect(answer).toBe('offsets');
    expect(pauses).toEqual([200, 400, 800]);
  });

  it('fails at once on an error that is not retriable', async () => {
    const refused = new KafkaJSProtocolError({
      type: 'GROUP_AUTHORIZATION_FAILED',
      code: 30,
      retriable: false,
      message: 'Not authorized to access group',
    } as never);
    await expect(whileCoordinatorLoads(() => Promise.reject(refused), pause)).rejects.toBe(refused);
    expect(pauses).toEqual([]);
  });

  it('gives up after ten attempts with the last error', async () => {
    let asked = 0;
    await expect(
      whileCoordinatorLoads(() => {
        asked += 1;
        return Promise.reject(loading());
      }, pause),
    ).rejects.toThrow('coordinator is loading');
    expect(asked).toBe(10);
    expect(Math.max(...pauses)).toBe(5_000);
  });
});
