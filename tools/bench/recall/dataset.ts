// The benchmark's synthetic country: devices, their implants and the hospitals that recorded
// them, generated deterministically from one seed, as COPY rows and as implant.recorded events.
import type { DeviceRegisteredV1, ImplantRecordedV1, PatientValue } from '@implant-trace/contracts';
import { testNhsNumber, TEST_NHS_NUMBER_CAPACITY, uuidV7 } from '@implant-trace/identifiers';
import { normaliseName } from '@implant-trace/recall-criteria';
import { gs1CheckDigit } from '@implant-trace/udi';

export interface Scale {
  implants: number;
  devices: number;
  hospitals: number;
}

/** Each manufacturer's devices fall in two product lines (the recall of a whole line). */
export const MANUFACTURERS = 50;
export const LINES_PER_MANUFACTURER = 2;
const LOTS_PER_DEVICE = 10;
/** One implant in this many was scanned with an identifier no device record names. */
const UNRESOLVED_EVERY = 10_000;
/** One implant in this many has been explanted (it matches no recall). */
const EXPLANTED_EVERY = 20;
const SERIAL_BASE = 100_000_000;
/** Patients per implant: some carry several. */
const PATIENTS_PER_IMPLANT = 0.8;

const gtinOf = (prefix: string, index: number): string => {
  const body = `${prefix}${String(index).padStart(11, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
};
export const primaryIdentifierOf = (device: number) => gtinOf('05', device);
const packageIdentifierOf = (device: number) => gtinOf('15', device);
const unknownIdentifierOf = (implant: number) => gtinOf('09', implant);
export const manufacturerOf = (device: number) => `Bench Orthopaedics ${device % MANUFACTURERS}`;
export const lineOf = (device: number) =>
  `Bench Hip Line ${Math.floor(device / MANUFACTURERS) % LINES_PER_MANUFACTURER}`;
export const lotOf = (device: number, lot: number) => `${device.toString(36).toUpperCase()}L${lot}`;
export const serialOf = (implant: number) => String(SERIAL_BASE + implant);

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
export const hospitalOf = (index: number) =>
  `R${LETTERS[Math.floor(index / 26) % 26]}${LETTERS[index % 26]}01`;

/** mulberry32: the same data on every run for a given scale. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface BenchDevice {
  deviceId: string;
  record: DeviceRegisteredV1;
  identifiers: string[];
}

export function devicesOf(scale: Scale): BenchDevice[] {
  const updatedAt = '2026-01-01T00:00:00.000Z';
  return Array.from({ length: scale.devices }, (_, index) => {
    const deviceId = uuidV7();
    const identifiers = [primaryIdentifierOf(index), packageIdentifierOf(index)];
    const record: DeviceRegisteredV1 = {
      deviceId,
      revision: 1,
      identifiers: [
        { deviceIdentifier: identifiers[0] ?? '', issuingAgency: 'GS1', type: 'primary' },
        { deviceIdentifier: identifiers[1] ?? '', issuingAgency: 'GS1', type: 'package' },
      ],
      manufacturer: manufacturerOf(index),
      brand: 'Bench Hip',
      model: lineOf(index),
      catalogNumber: `REF-${index}`,
      implantable: true,
      mriSafety: 'conditional',
      labelCarries: {
        lotNumber: true,
        serialNumber: true,
        expirationDate: true,
        manufactureDate: true,
      },
      status: 'on-market',
      updatedAt,
    };
    return { deviceId, record, identifiers };
  });
}

/** COPY text rows of the catalogue replica's three tables, as the replica consumer writes them. */
export function catalogueRows(devices: readonly BenchDevice[]) {
  const keyOf = (value: string | undefined) =>
    value === undefined || value.trim() === '' ? '\\N' : normaliseName(value);
  return {
    devices: devices.map(
      ({ deviceId, record, identifiers }) =>
        `${deviceId}\t1\t${JSON.stringify(record)}\t{${[...identifiers].sort().join(',')}}\t` +
        `${keyOf(record.catalogNumber)}\t${keyOf(record.manufacturer)}\t${keyOf(record.model)}\n`,
    ),
    identifiers: devices.flatMap(({ deviceId, identifiers }) =>
      identifiers.map((identifier) => `${identifier}\t${deviceId}\n`),
    ),
  };
}

export interface BenchImplant {
  event: ImplantRecordedV1;
  device: number | undefined;
  explanted: boolean;
}

const isoDate = (day: number) => new Date(Date.UTC(2015, 0, 1) + day * 86_400_000);

/** `count` implants in order of recording; another seed gives another series. */
export function* implantsOf(
  scale: Scale,
  devices: readonly BenchDevice[],
  count: number,
  seed: number,
): Generator<BenchImplant> {
  const next = random(seed);
  const patients = Math.max(1, Math.floor(scale.implants * PATIENTS_PER_IMPLANT));
  for (let index = 0; index < count; index += 1) {
    const unresolved = index % UNRESOLVED_EVERY === UNRESOLVED_EVERY - 1;
    const device = Math.floor(next() * scale.devices);
    const hospitalOds = hospitalOf(Math.floor(next() * scale.hospitals));
    const patientIndex = Math.floor(next() * patients);
    // The NHS test range holds 900,000 numbers; beyond it patients carry a local id, as those
    // without an NHS number do, never a number that could be someone's.
    const patient: PatientValue =
      patientIndex < TEST_NHS_NUMBER_CAPACITY
        ? { nhsNumber: testNhsNumber(patientIndex) }
        : {
            nhsNumberUnavailable: {
              reason: 'Benchmark patient beyond the NHS test number range',
              localPatientId: `BENCH-${patientIndex}`,
            },
          };
    const madeOn = isoDate(Math.floor(next() * 3650));
    const manufactureDate = madeOn.toISOString().slice(0, 10);
    const expirationDate = new Date(madeOn.getTime() + 5 * 365 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const lot = Math.floor(next() * LOTS_PER_DEVICE);
    const byPackage = next() < 0.1;
    const deviceIdentifier = unresolved
      ? unknownIdentifierOf(index)
      : byPackage
        ? packageIdentifierOf(device)
        : primaryIdentifierOf(device);
    const lotNumber = unresolved ? `X${index}` : lotOf(device, lot);
    const serialNumber = serialOf(index);
    const yymmdd = (date: string) => date.slice(2).replaceAll('-', '');
    const event: ImplantRecordedV1 = {
      implantId: uuidV7(),
      hospitalOds,
      patient,
      udi: {
        format: 'gs1',
        issuingAgency: 'GS1',
        deviceIdentifier,
        lotNumber,
        serialNumber,
        expirationDate,
        manufactureDate,
      },
      ...(unresolved ? {} : { deviceId: devices[device]?.deviceId ?? '' }),
      entryMethod: 'barcode',
      rawScan:
        `(01)${deviceIdentifier}(11)${yymmdd(manufactureDate)}(17)${yymmdd(expirationDate)}` +
        `(10)${lotNumber}(21)${serialNumber}`,
      implantedAt: new Date(madeOn.getTime() + 200 * 86_400_000).toISOString(),
      recordedBy: `bench-theatre-${index % 1000}`,
      reviewFlags: [],
    };
    yield {
      event,
      device: unresolved ? undefined : device,
      explanted: index % EXPLANTED_EVERY === 7,
    };
  }
}

/** The patient once, for counting, as the projection keys it. */
const patientKeyOf = (patient: PatientValue, hospitalOds: string) =>
  patient.nhsNumber ?? `local:${hospitalOds}:${patient.nhsNumberUnavailable?.localPatientId}`;

/** One COPY text row of `implants`, as the projection consumer writes an implant. */
export function implantRow(implant: BenchImplant, devices: readonly BenchDevice[]): string {
  const { event } = implant;
  const { udi } = event;
  const deviceId = implant.device === undefined ? '\\N' : (devices[implant.device]?.deviceId ?? '');
  const serial = udi.serialNumber ?? '';
  return (
    `${event.implantId}\tt\t${event.hospitalOds}\t${JSON.stringify(event.patient)}\t` +
    `${patientKeyOf(event.patient, event.hospitalOds)}\t${JSON.stringify(udi)}\t` +
    `${udi.deviceIdentifier}\t${deviceId}\t${udi.lotNumber}\t${serial}\t${serial}\t` +
    `${udi.manufactureDate}\t${udi.expirationDate}\t` +
    (implant.explanted ? `explanted\t${event.implantedAt}\n` : `active\t\\N\n`)
  );
}
