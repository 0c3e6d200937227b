// Each benchmark's headline results, read from the results file it writes. The shapes below are
// the parts of those files the roll-up reads; a benchmark that changes its file changes them.

import type { MessagingResult } from '../messaging/bench';

/** One line of docs/benchmarks/README.md. */
export interface HeadlineRow {
  measure: string;
  result: string;
  target?: string;
  verdict?: string;
  peer?: string;
  ranOn: string;
}

export interface Benchmark {
  name: string;
  /** The npm script that runs it at its full size. */
  script: string;
  resultsFile: string;
  report: string;
  headline(results: unknown): HeadlineRow[];
}

interface Spread {
  median: number;
  spread: string;
}

const integer = (value: number) => Math.round(value).toLocaleString('en-GB');
const withSpread = (value: Spread, unit = '') =>
  `${integer(value.median)}${unit} (${value.spread})`;
const day = (date: string) => date.slice(0, 10);
const load = (loadAverage?: { before: number; after: number }) =>
  loadAverage === undefined
    ? 'load not recorded'
    : `load ${loadAverage.before.toFixed(1)}/${loadAverage.after.toFixed(1)}`;
const met = (ok: boolean) => (ok ? 'met' : 'not met');

interface UdiResults {
  date: string;
  machine: { cpu: string; cores: number };
  loadAverage1m?: { before: number; after: number };
  rounds: number;
  results: {
    parser: string;
    version: string;
    inputs: number;
    parsesPerSecond: { median: { cpu: number } };
    ratio?: number;
  }[];
}

interface OfRuns {
  median: number;
  spread: string;
}

interface DeviceImportResults {
  date: string;
  machine: string;
  identifiers: number;
  runs: number;
  endToEndRuns: number;
  summary: {
    importSeconds: OfRuns;
    importPerSecond: OfRuns;
    cliPeakRssMiB: OfRuns;
    eventsOnTopic: OfRuns;
    events: OfRuns;
    endToEndSeconds: OfRuns;
    endToEndPerSecond: OfRuns;
    relayEventsPerSecond: OfRuns;
  };
}

interface ScanResults {
  date: string;
  machine: string;
  devices: number;
  runs: number;
  loadAverage: { before: number; after: number };
  summary: {
    target: string;
    label: string;
    offeredRate: string;
    requestsPerSecond: Spread;
    p50Ms: Spread;
    p99Ms: Spread;
    verdict: string;
  }[];
}

interface RecallResults {
  date: string;
  machine: string;
  scale: { implants: number; devices: number; hospitals: number };
  runs: number;
  issueRuns: number;
  loadAverage: { before: number; after: number };
  dryRuns: {
    label: string;
    matchedImplants: number;
    serviceMs: { median: number; spread: string };
    floorMs: { median: number; spread: string };
    targetMs: number;
    verdict: string;
  }[];
  issues: {
    medianAllOnTopicMs: number;
    verdict: string;
    runs: { found: number; eventsPerSecond: number }[];
  };
  rebuild: { events: number; finished: boolean; eventsPerSecond: number };
}

interface NotifyResults {
  date: string;
  machine: string;
  events: number;
  hospitals: number;
  runs: number;
  summary: {
    scenario: string;
    expectedDeliveries: number;
    deliveredSeconds: Spread;
    deliveriesPerSecond: Spread;
    duplicates: number;
  }[];
}

export const BENCHMARKS: Benchmark[] = [
  {
    name: 'udi',
    script: 'bench:udi',
    resultsFile: 'udi.json',
    report: 'udi.md',
    headline: (results) => {
      const udi = results as UdiResults;
      const [ours, ...peers] = udi.results;
      const fastestPeer = [...peers].sort(
        (a, b) => b.parsesPerSecond.median.cpu - a.parsesPerSecond.median.cpu,
      )[0];
      return [
        {
          measure: `UDI scans parsed per CPU second (${ours?.inputs ?? 0} mixed scans, ${udi.rounds} rounds)`,
          result: integer(ours?.parsesPerSecond.median.cpu ?? 0),
          target: 'faster than every npm parser on the scans each reads',
          verdict: met(peers.every((peer) => (peer.ratio ?? 0) > 1)),
          ...(fastestPeer === undefined
            ? {}
            : {
                peer: `fastest npm parser ${fastestPeer.parser} ${fastestPeer.version}: ${integer(fastestPeer.parsesPerSecond.median.cpu)}; ours ${fastestPeer.ratio?.toFixed(1)}x on its scans`,
              }),
          ranOn: `${day(udi.date)}, ${udi.machine.cores} cores ${udi.machine.cpu}, ${load(udi.loadAverage1m)}`,
        },
      ];
    },
  },
  {
    name: 'messaging',
    script: 'bench:messaging',
    resultsFile: 'messaging.json',
    report: 'messaging.md',
    headline: (results) => {
      const messaging = results as MessagingResult;
      const ranOn = `${day(messaging.date)}, ${messaging.machine}, median of ${messaging.runs} runs, load ${messaging.loadAverage.join(' -> ')}`;
      const ofRuns = (s: { median: number; spread: string }) =>
        `${integer(s.median)} events/s (${s.spread})`;
      return [
        {
          measure: `event pipeline, outbox to committed effect (${integer(messaging.pipelineEvents)} events of 1 KB)`,
          result: ofRuns(messaging.pipelineEventsPerSecond),
          target: 'at least 12,000 events/s (issue 16)',
          verdict: met(messaging.pipelineEventsPerSecond.median >= 12_000),
          peer: `kafkajs alone ${integer(messaging.kafkajsCeilingRecordsPerSecond.median)}/s (ratio ${messaging.ratioToKafkajs}); ProducerPerformance ${integer(messaging.producerPerformanceRecordsPerSecond.median)}/s (ratio ${messaging.ratioToProducerPerformance})`,
          ranOn,
        },
        {
          measure: `writer's commit to effect's commit at ${integer(messaging.latencyRatePerSecond)} events/s, p99`,
          result: `${messaging.latency.p99Ms.median} ms (${messaging.latency.p99Ms.spread})`,
          target: 'p99 < 100 ms',
          verdict: met(messaging.latency.p99Ms.median < 100),
          ranOn,
        },
        {
          measure: `projection rebuilt from ${integer(messaging.rebuildEvents)} events on a topic, handler per event`,
          result: ofRuns(messaging.rebuildEventsPerSecond),
          target: 'at least 20,000 events/s',
          verdict: met(messaging.rebuildEventsPerSecond.median >= 20_000),
          ranOn,
        },
        {
          measure: `the same rebuild by a batch handler (one insert per run of events)`,
          result: ofRuns(messaging.batchRebuildEventsPerSecond),
          target: 'at least 20,000 events/s',
          verdict: met(messaging.batchRebuildEventsPerSecond.median >= 20_000),
          ranOn,
        },
      ];
    },
  },
  {
    name: 'device-import',
    script: 'bench:device-import',
    resultsFile: 'device-import.json',
    report: 'device-import.md',
    headline: (results) => {
      const device = results as DeviceImportResults;
      const { summary } = device;
      const ranOn = (runs: number) =>
        `${day(device.date)}, ${device.machine}, ${runs === 1 ? 'one run' : `median of ${runs} runs`}`;
      return [
        {
          measure: `catalogue import of ${integer(device.identifiers)} identifiers (GUDID files), database side`,
          result: `${integer(summary.importPerSecond.median)} identifiers/s (${summary.importPerSecond.spread}; ${summary.importSeconds.median} s, peak RSS ${summary.cliPeakRssMiB.median} MiB)`,
          target: 'at least 50,000 identifiers/s (issue 16)',
          verdict: met(summary.importPerSecond.median >= 50_000),
          ranOn: ranOn(device.runs),
        },
        {
          measure: 'the same import end to end: until its events are on the topic',
          result: `${integer(summary.endToEndPerSecond.median)} identifiers/s (${summary.endToEndSeconds.median} s); ${integer(summary.eventsOnTopic.median)} of ${integer(summary.events.median)} events on the topic, relayed at ${integer(summary.relayEventsPerSecond.median)} events/s`,
          target: 'at least 50,000 identifiers/s, every event on the topic (issue 16)',
          verdict: met(
            summary.endToEndPerSecond.median >= 50_000 &&
              summary.eventsOnTopic.median === summary.events.median,
          ),
          ranOn: ranOn(device.endToEndRuns),
        },
      ];
    },
  },
  {
    name: 'scan',
    script: 'bench:scan',
    resultsFile: 'scan.json',
    report: 'scan.md',
    headline: (results) => {
      const scan = results as ScanResults;
      const ceiling = scan.summary.find((row) => row.target === 'health');
      return scan.summary
        .filter((row) => row !== ceiling)
        .map((row) => {
          const [targetText, verdict] = row.verdict.split(': ');
          return {
            measure: `${row.label} at ${row.offeredRate} (${integer(scan.devices)} devices), p50 / p99`,
            result: `${withSpread(row.p50Ms, ' ms')} / ${withSpread(row.p99Ms, ' ms')} at ${withSpread(row.requestsPerSecond, '/s')}`,
            ...(targetText === undefined ? {} : { target: targetText }),
            ...(verdict === undefined ? {} : { verdict }),
            ...(ceiling === undefined
              ? {}
              : {
                  peer: `ceiling: GET /health ${withSpread(ceiling.requestsPerSecond, '/s')}, p99 ${withSpread(ceiling.p99Ms, ' ms')}`,
                }),
            ranOn: `${day(scan.date)}, ${scan.machine}, ${scan.runs} runs, ${load(scan.loadAverage)}`,
          };
        });
    },
  },
  {
    name: 'recall',
    script: 'bench:recall',
    resultsFile: 'recall.json',
    report: 'recall.md',
    headline: (results) => {
      const recall = results as RecallResults;
      const scale = `${integer(recall.scale.implants)} implants`;
      const ranOn = (runs: number) =>
        `${day(recall.date)}, ${recall.machine}, ${runs} runs, ${load(recall.loadAverage)}`;
      const found = recall.issues.runs[0]?.found ?? 0;
      return [
        ...recall.dryRuns.map((dryRun) => ({
          measure: `dry run ${dryRun.label} among ${scale} (${integer(dryRun.matchedImplants)} matched)`,
          result: `${dryRun.serviceMs.median} ms (${dryRun.serviceMs.spread})`,
          target: `< ${integer(dryRun.targetMs)} ms`,
          verdict: dryRun.verdict,
          peer: `floor: its SQL alone ${dryRun.floorMs.median} ms (${dryRun.floorMs.spread})`,
          ranOn: ranOn(recall.runs),
        })),
        {
          measure: `issuing that product-line recall until its ${integer(found)} match events are on the topic`,
          result: `${(recall.issues.medianAllOnTopicMs / 1000).toFixed(0)} s (${recall.issues.runs.map((run) => `${run.eventsPerSecond}/s`).join(', ')})`,
          target: '< 30 s',
          verdict: recall.issues.verdict,
          ranOn: ranOn(recall.issueRuns),
        },
        {
          measure: `projection rebuilt from ${integer(recall.rebuild.events)} implant events on the topic`,
          result: recall.rebuild.finished
            ? `${integer(recall.rebuild.eventsPerSecond)} events/s`
            : 'did not finish',
          target: 'at least 20,000 events/s (issue 16)',
          verdict: met(recall.rebuild.finished && recall.rebuild.eventsPerSecond >= 20_000),
          ranOn: `${day(recall.date)}, ${recall.machine}, one run`,
        },
      ];
    },
  },
  {
    name: 'notify',
    script: 'bench:notify',
    resultsFile: 'notify.json',
    report: 'notify.md',
    headline: (results) => {
      const notify = results as NotifyResults;
      return notify.summary.map((row) => ({
        measure: `webhooks for ${integer(notify.events)} match events to ${notify.hospitals} hospitals, ${row.scenario}`,
        result: `${withSpread(row.deliveriesPerSecond, ' deliveries/s')}, all ${integer(row.expectedDeliveries)} in ${withSpread(row.deliveredSeconds, ' s')}`,
        target: 'every deliverable webhook delivered once, verified',
        verdict: met(row.duplicates === 0),
        ranOn: `${day(notify.date)}, ${notify.machine}, ${notify.runs} runs`,
      }));
    },
  },
];
