import { useCallback, useEffect, useMemo, useState } from 'react';

import type {
  DrainReport,
  LabelState,
  ManualDeviceBody,
  PatientIdentification,
  QueueEntry,
  VerdictPresentation,
} from '@implant-trace/theatre-web-domain';
import {
  addBarcode,
  barcodesBody,
  canonicalScan,
  DEFAULT_WEDGE_TIMINGS,
  describeManualEntry,
  describePatient,
  displayableScan,
  EMPTY_LABEL,
  isVerdict,
  patientApiBody,
  patientFromWristband,
  presentLateVerdict,
  presentVerdict,
  subjectOfScan,
  waiveProductionBarcode,
} from '@implant-trace/theatre-web-domain';

import { servicePath } from '../api/api-client';
import type { PatientImplants, RecordedImplant, ScanCheck } from '../api/api.types';
import { CameraScanner } from '../scanner/camera-scanner';
import { useWedgeScanner } from '../scanner/use-wedge-scanner';
import { useServices } from '../shell/services.context';
import { PatientPanel } from './patient-panel';
import type { ProcedureImplant } from './procedure-list';
import { ManualEntryPanel } from './manual-entry-panel';
import { ProcedureList } from './procedure-list';
import { QueuePanel } from './queue-panel';
import { VerdictOverlay } from './verdict-overlay';

const CHECK_PATH = servicePath('implant-events', '/v1/scans/check');
const IMPLANTS_PATH = servicePath('implant-events', '/v1/implants');
const DRAIN_EVERY_MS = 10_000;

interface ShownVerdict {
  presentation: VerdictPresentation;
  check?: ScanCheck;
  detail?: string;
  /** A queue entry whose late outcome this is, dismissed once acknowledged. */
  entryId?: string;
}

type CompleteLabel = Extract<LabelState, { kind: 'complete' }>;

function labelSummary(label: CompleteLabel): string {
  return label.barcodes.map(({ scan }) => displayableScan(scan)).join(' + ');
}

function verdictOfBody(body: unknown): ScanCheck | undefined {
  const verdict = (body as { verdict?: unknown } | null)?.verdict;
  return isVerdict(verdict) ? (body as ScanCheck) : undefined;
}

/** The theatre page: patient, device label, verdict, recording, the procedure's implants, the queue. */
export function ScanPage() {
  const { api, queue, sound, config } = useServices();
  const [patient, setPatient] = useState<PatientIdentification | undefined>();
  const [wristbandProblem, setWristbandProblem] = useState<string | undefined>();
  const [label, setLabel] = useState<LabelState>(EMPTY_LABEL);
  const [check, setCheck] = useState<ScanCheck | undefined>();
  const [fieldsConfirmed, setFieldsConfirmed] = useState(false);
  const [shown, setShown] = useState<ShownVerdict[]>([]);
  const [entries, setEntries] = useState<QueueEntry[]>([]);
  const [online, setOnline] = useState(true);
  const [implants, setImplants] = useState<ProcedureImplant[]>([]);
  const [camera, setCamera] = useState(false);
  const [manual, setManual] = useState(false);
  const [message, setMessage] = useState<string | undefined>();

  const show = useCallback(
    (verdict: ShownVerdict) => {
      sound.play(verdict.presentation.sound);
      setShown((current) => [...current, verdict]);
    },
    [sound],
  );

  const refreshEntries = useCallback(async () => setEntries(await queue.entries()), [queue]);

  const addRecorded = useCallback((recorded: RecordedImplant, description: string) => {
    setImplants((current) => [
      ...current.filter((implant) => implant.implantId !== recorded.implantId),
      {
        implantId: recorded.implantId,
        description,
        verdict: recorded.verdict,
        status: 'implanted',
        flagged:
          recorded.warnings.length > 0 ||
          recorded.verdict !== 'OK' ||
          (recorded.reviewFlags ?? []).length > 0,
      },
    ]);
  }, []);

  /**
   * Shows what a drain sent: loudly for late stops, and for the recording just made when its
   * verdict was not seen before it was sent (a manual entry has no scan check first).
   */
  const handleReport = useCallback(
    async (report: DrainReport, madeNow?: string, unseen = false) => {
      setOnline(!report.stillOffline);
      for (const entry of report.sent) {
        const answer = verdictOfBody(entry.response?.body);
        if (entry.kind === 'record-implant' && entry.response !== undefined) {
          addRecorded(entry.response.body as RecordedImplant, entry.summary);
        }
        const late = entry.id !== madeNow;
        if ((late || unseen) && answer !== undefined && answer.verdict !== 'OK') {
          show({
            presentation: late
              ? presentLateVerdict(answer.verdict)
              : presentVerdict(answer.verdict),
            check: answer,
            detail: entry.summary,
            entryId: entry.id,
          });
        } else {
          await queue.dismiss(entry.id);
        }
      }
      if (report.signInNeeded)
        setMessage('Your sign-in has expired: sign in again to send the queue.');
      await refreshEntries();
    },
    [addRecorded, queue, refreshEntries, show],
  );

  const drain = useCallback(
    async (madeNow?: string, unseen?: boolean) =>
      handleReport(await queue.drain(), madeNow, unseen),
    [handleReport, queue],
  );

  useEffect(() => {
    // After a reload or a restart whatever was queued goes out first.
    void drain();
    const onOnline = () => void drain();
    const onOffline = () => setOnline(false);
    window.addEventListener('online', onOnline);
    window.addEventListener('offline', onOffline);
    const timer = setInterval(() => void drain(), DRAIN_EVERY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      clearInterval(timer);
    };
  }, [drain]);

  // Implants already recorded for this patient at this hospital (their implant card data).
  useEffect(() => {
    if (patient === undefined || patient.kind === 'unavailable') return;
    api
      .call<PatientImplants>(
        servicePath('implant-events', `/v1/patients/${patient.nhsNumber}/implants`),
      )
      .then(
        (found) =>
          setImplants((current) => [
            ...current.filter(
              (implant) => !found.implants.some((card) => card.implantId === implant.implantId),
            ),
            ...found.implants.map((card) => ({
              implantId: card.implantId,
              description: [
                card.device?.manufacturer,
                card.device?.name,
                card.lotNumber && `lot ${card.lotNumber}`,
                card.serialNumber && `serial ${card.serialNumber}`,
              ]
                .filter(Boolean)
                .join(' '),
              status: card.status,
              flagged: card.reviewFlags.length > 0,
            })),
          ]),
        () => undefined,
      );
  }, [api, patient]);

  const checkLabel = useCallback(
    async (complete: CompleteLabel) => {
      const body = barcodesBody(complete);
      const result = await api.send(CHECK_PATH, { body });
      if (result.kind === 'answered' && result.status === 200) {
        const answer = verdictOfBody(result.body);
        if (answer !== undefined) {
          setOnline(true);
          setCheck(answer);
          show({ presentation: presentVerdict(answer.verdict), check: answer });
          return;
        }
      }
      if (result.kind === 'unreachable' || result.status >= 500) {
        // Never OK when unsure: offline is UNVERIFIED, and the check is sent when it can be.
        setOnline(false);
        await queue.enqueue({
          kind: 'check-scan',
          path: CHECK_PATH,
          body,
          summary: `Check of ${labelSummary(complete)}`,
        });
        await refreshEntries();
        const offline: ScanCheck = { verdict: 'UNVERIFIED', warnings: [] };
        setCheck(offline);
        show({
          presentation: presentVerdict('UNVERIFIED'),
          check: offline,
          detail:
            'The recall check could not reach the service. It will be checked as soon as the network returns.',
        });
        return;
      }
      setMessage(`The check was refused (${result.status}).`);
    },
    [api, queue, refreshEntries, show],
  );

  const onLabel = useCallback(
    (next: LabelState) => {
      setLabel(next);
      setCheck(undefined);
      setFieldsConfirmed(false);
      if (next.kind === 'complete') void checkLabel(next);
      if (next.kind === 'unreadable') {
        show({
          presentation: presentVerdict('UNREADABLE'),
          detail: next.errors.map((error) => error.message).join('; '),
        });
      }
    },
    [checkLabel, show],
  );

  const onScan = useCallback(
    (raw: string) => {
      if (shown.length > 0) return; // A verdict is on screen: it is acknowledged first.
      const scan = canonicalScan(raw, { gsAliases: config.gsAliases });
      setMessage(undefined);
      if (subjectOfScan(scan) === 'wristband') {
        const reading = patientFromWristband(scan);
        if (reading.ok) {
          setPatient(reading.patient);
          setWristbandProblem(undefined);
        } else {
          setWristbandProblem(reading.message);
        }
        return;
      }
      onLabel(addBarcode(label.kind === 'partial' ? label : EMPTY_LABEL, scan));
    },
    [config.gsAliases, label, onLabel, shown.length],
  );

  const timings = useMemo(() => ({ ...DEFAULT_WEDGE_TIMINGS, ...config.wedge }), [config.wedge]);
  const onBrokenScan = useCallback(() => {
    if (shown.length > 0) return;
    show({
      presentation: presentVerdict('UNREADABLE'),
      detail: 'The scan arrived in pieces and was not read. Scan the barcode again.',
    });
  }, [show, shown.length]);
  useWedgeScanner(onScan, onBrokenScan, timings);

  const record = async () => {
    if (label.kind !== 'complete' || patient === undefined) return;
    const description = `${check?.device === undefined ? labelSummary(label) : `${check.device.manufacturer} ${check.device.brand}`} for ${describePatient(patient)}`;
    const entry = await queue.enqueue({
      kind: 'record-implant',
      path: IMPLANTS_PATH,
      body: { ...barcodesBody(label), patient: patientApiBody(patient) },
      summary: description,
    });
    setLabel(EMPTY_LABEL);
    setCheck(undefined);
    await refreshEntries();
    await drain(entry.id);
  };

  const recordManual = async (device: ManualDeviceBody) => {
    if (patient === undefined) return;
    const entry = await queue.enqueue({
      kind: 'record-implant',
      path: IMPLANTS_PATH,
      body: { manual: device, patient: patientApiBody(patient) },
      summary: `${describeManualEntry(device)} for ${describePatient(patient)}`,
    });
    setManual(false);
    await refreshEntries();
    await drain(entry.id, true);
  };

  const implantAction =
    (kind: 'explant' | 'entered-in-error') => async (implantId: string, reason: string) => {
      await api.call(servicePath('implant-events', `/v1/implants/${implantId}/${kind}`), {
        body: kind === 'explant' ? (reason === '' ? {} : { reason }) : { reason },
      });
      setImplants((current) =>
        current.map((implant) =>
          implant.implantId === implantId
            ? { ...implant, status: kind === 'explant' ? 'explanted' : 'entered-in-error' }
            : implant,
        ),
      );
    };

  const current = shown[0];
  const acknowledge = async () => {
    if (current?.entryId !== undefined) {
      await queue.dismiss(current.entryId);
      await refreshEntries();
    }
    setShown((all) => all.slice(1));
  };

  const needsConfirmation =
    label.kind === 'complete' && label.warnings.length > 0 && !fieldsConfirmed;
  const recordable =
    label.kind === 'complete' && patient !== undefined && !needsConfirmation && check !== undefined;
  const stopped = check !== undefined && check.verdict !== 'OK';
  const fields = useMemo(() => (label.kind === 'complete' ? label.barcodes : []), [label]);

  return (
    <>
      {current !== undefined && (
        <VerdictOverlay
          key={shown.length}
          presentation={current.presentation}
          {...(current.check === undefined ? {} : { check: current.check })}
          {...(current.detail === undefined ? {} : { detail: current.detail })}
          onAcknowledge={() => void acknowledge()}
        />
      )}
      <main className="page" inert={current !== undefined || camera ? true : undefined}>
        <div className="columns">
          <PatientPanel
            patient={patient}
            wristbandProblem={wristbandProblem}
            onPatient={setPatient}
          />
          <section className="panel" aria-labelledby="device-heading">
            <h2 id="device-heading">Device</h2>
            <p className="instruction">
              Scan the device label with the scanner. A scan works wherever the cursor is.
            </p>
            {label.kind === 'partial' && (
              <div role="status" className="notice">
                <p>
                  {label.awaiting === 'production'
                    ? 'Device identifier read. Scan the lot/serial barcode of the same label.'
                    : 'Lot/serial barcode read. Scan the device identifier barcode of the same label.'}
                </p>
                {label.awaiting === 'production' && (
                  <button
                    type="button"
                    className="button"
                    onClick={() => onLabel(waiveProductionBarcode(label))}
                  >
                    The label has no second barcode
                  </button>
                )}
              </div>
            )}
            {label.kind === 'complete' && (
              <div>
                <table className="fields" aria-label="Fields read from the label">
                  <tbody>
                    {fields.flatMap(({ result, scan }) =>
                      result.ok
                        ? (
                            [
                              'deviceIdentifier',
                              'lotNumber',
                              'serialNumber',
                              'expirationDate',
                              'manufactureDate',
                            ] as const
                          )
                            .filter((field) => result.udi[field] !== undefined)
                            .map((field) => (
                              <tr key={`${scan}-${field}`}>
                                <th scope="row">{field}</th>
                                <td>{result.udi[field]}</td>
                              </tr>
                            ))
                        : [],
                    )}
                  </tbody>
                </table>
                {label.warnings.length > 0 && (
                  <div className="notice notice--warning">
                    <p>Check these fields against the printed label:</p>
                    <ul>
                      {label.warnings.map((warning, index) => (
                        <li key={index}>{warning.message}</li>
                      ))}
                    </ul>
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={fieldsConfirmed}
                        onChange={(event) => setFieldsConfirmed(event.target.checked)}
                      />
                      The fields match the printed label
                    </label>
                  </div>
                )}
                <button
                  type="button"
                  className="button button--large"
                  disabled={!recordable}
                  onClick={() => void record()}
                >
                  {stopped ? 'Record anyway (flagged for review)' : 'Record implant'}
                </button>
                {patient === undefined && <p className="hint">Identify the patient to record.</p>}
              </div>
            )}
            {manual ? (
              <ManualEntryPanel
                patientKnown={patient !== undefined}
                onRecord={recordManual}
                onCancel={() => setManual(false)}
              />
            ) : (
              label.kind !== 'complete' && (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => {
                    setLabel(EMPTY_LABEL);
                    setManual(true);
                  }}
                >
                  No barcode can be read: enter by hand
                </button>
              )
            )}
            {cameraAvailable() && (
              <button
                type="button"
                className="button button--secondary"
                onClick={() => setCamera(true)}
              >
                Scan with the camera
              </button>
            )}
            {message !== undefined && (
              <p className="hint hint--error" role="alert">
                {message}
              </p>
            )}
          </section>
          <ProcedureList
            implants={implants}
            onExplant={implantAction('explant')}
            onEnteredInError={implantAction('entered-in-error')}
          />
          <QueuePanel
            entries={entries}
            online={online}
            onSendNow={() => void drain()}
            onDismiss={(id) => void queue.dismiss(id).then(refreshEntries)}
          />
        </div>
      </main>
      {camera && (
        <CameraPanel
          onScan={(text) => {
            setCamera(false);
            onScan(text);
          }}
          onClose={() => setCamera(false)}
        />
      )}
    </>
  );

  function cameraAvailable(): boolean {
    return typeof navigator !== 'undefined' && navigator.mediaDevices !== undefined;
  }
}

function CameraPanel({ onScan, onClose }: { onScan(text: string): void; onClose(): void }) {
  const { cameraReader } = useServices();
  if (cameraReader === undefined) return null;
  return <CameraScanner reader={cameraReader} onScan={onScan} onClose={onClose} />;
}
