import { unacknowledgedPartitions } from './unacknowledged-partitions';

const answered = (topicName: string, partition: number, errorCode = 0) => ({
  topicName,
  partition,
  errorCode,
});

describe('unacknowledgedPartitions', () => {
  const sent = [
    { topic: 'implants', partition: 0 },
    { topic: 'implants', partition: 1 },
    { topic: 'matches', partition: 0 },
  ];

  it('is empty when the answer acknowledges every partition sent', () => {
    const answer = [answered('matches', 0), answered('implants', 1), answered('implants', 0)];
    expect(unacknowledgedPartitions(sent, answer)).toEqual([]);
  });

  it('names a partition the answer left out, by topic as well as number', () => {
    const answer = [answered('implants', 0), answered('matches', 1), answered('matches', 0)];
    expect(unacknowledgedPartitions(sent, answer)).toEqual([{ topic: 'implants', partition: 1 }]);
  });

  it('does not count an answer with an error as an acknowledgement', () => {
    const answer = [answered('implants', 0), answered('implants', 1, 6), answered('matches', 0)];
    expect(unacknowledgedPartitions(sent, answer)).toEqual([{ topic: 'implants', partition: 1 }]);
  });

  it('names every partition of an empty answer', () => {
    expect(unacknowledgedPartitions(sent, [])).toEqual(sent);
  });
});
