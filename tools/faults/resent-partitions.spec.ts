import { counterTotal } from './resent-partitions';

describe('counterTotal', () => {
  it('adds the counter over its labels and ignores its help, type and other metrics', () => {
    const exposition = [
      '# HELP outbox_partitions_unacknowledged_total Partitions of a sent batch ...',
      '# TYPE outbox_partitions_unacknowledged_total counter',
      'outbox_partitions_unacknowledged_total{topic="implant-events.implants.v1"} 2',
      'outbox_partitions_unacknowledged_total{topic="implant-events.devices.v1"} 1',
      'outbox_partitions_unacknowledged_total_other 40',
      'outbox_rows_parked_total{topic="implant-events.implants.v1"} 7',
    ].join('\n');
    expect(counterTotal(exposition, 'outbox_partitions_unacknowledged_total')).toBe(3);
  });

  it('is 0 when the counter has no sample yet', () => {
    const exposition = '# TYPE outbox_partitions_unacknowledged_total counter\n';
    expect(counterTotal(exposition, 'outbox_partitions_unacknowledged_total')).toBe(0);
  });
});
