import { writeFile } from 'node:fs/promises';

import { gs1CheckDigit } from '@implant-trace/udi';

/** Which production identifiers a family's labels carry, as the catalogue records it. */
export interface LabelCarries {
  lot: boolean;
  serial: boolean;
  expiry: boolean;
  manufacture: boolean;
}

export interface DemoDevice {
  gtin: string;
  /** A case of five, scanned in stores; resolves to the same device. */
  packageGtin: string | undefined;
  family: DemoFamily;
  size: number;
}

export interface DemoFamily {
  manufacturer: string;
  brand: string;
  modelPrefix: string;
  description: string;
  gmdnCode: string;
  mriSafety: 'safe' | 'conditional' | 'unsafe' | 'unknown';
  carries: LabelCarries;
  bodySite: string;
  sided: boolean;
  procedure: { code: string; description: string };
}

/** Implants of the kinds the recalls that prompted this platform were about. */
export const DEMO_FAMILIES: readonly DemoFamily[] = [
  {
    manufacturer: 'Northfield Orthopaedics Ltd',
    brand: 'Meridian Hip Stem',
    modelPrefix: 'MHS',
    description: 'Cementless femoral stem',
    gmdnCode: '35666',
    mriSafety: 'conditional',
    carries: { lot: true, serial: false, expiry: true, manufacture: false },
    bodySite: 'hip',
    sided: true,
    procedure: { code: 'W37.1', description: 'Primary total prosthetic replacement of hip joint' },
  },
  {
    manufacturer: 'Northfield Orthopaedics Ltd',
    brand: 'Meridian Acetabular Cup',
    modelPrefix: 'MAC',
    description: 'Metal-on-metal acetabular cup',
    gmdnCode: '35667',
    mriSafety: 'conditional',
    carries: { lot: true, serial: false, expiry: true, manufacture: false },
    bodySite: 'hip',
    sided: true,
    procedure: { code: 'W37.1', description: 'Primary total prosthetic replacement of hip joint' },
  },
  {
    manufacturer: 'Helix Cardiac Inc',
    brand: 'Helix Tined Pacing Lead',
    modelPrefix: 'HTL',
    description: 'Endocardial pacing lead',
    gmdnCode: '35852',
    mriSafety: 'conditional',
    carries: { lot: false, serial: true, expiry: true, manufacture: true },
    bodySite: 'right ventricle',
    sided: false,
    procedure: { code: 'K60.2', description: 'Implantation of dual chamber cardiac pacemaker' },
  },
  {
    manufacturer: 'Helix Cardiac Inc',
    brand: 'Helix Dual Chamber Pacemaker',
    modelPrefix: 'HDP',
    description: 'Implantable pulse generator',
    gmdnCode: '47251',
    mriSafety: 'conditional',
    carries: { lot: false, serial: true, expiry: true, manufacture: true },
    bodySite: 'left pectoral',
    sided: false,
    procedure: { code: 'K60.2', description: 'Implantation of dual chamber cardiac pacemaker' },
  },
  {
    manufacturer: 'Aurelia Aesthetics SA',
    brand: 'Aurelia Textured Breast Implant',
    modelPrefix: 'ATB',
    description: 'Textured silicone gel breast implant',
    gmdnCode: '36102',
    mriSafety: 'safe',
    carries: { lot: true, serial: true, expiry: true, manufacture: false },
    bodySite: 'breast',
    sided: true,
    procedure: { code: 'B30.1', description: 'Insertion of prosthesis for breast' },
  },
  {
    manufacturer: 'Valvetech Medical GmbH',
    brand: 'Valvetech Bioprosthetic Aortic Valve',
    modelPrefix: 'VBA',
    description: 'Bovine pericardial aortic valve',
    gmdnCode: '47268',
    mriSafety: 'conditional',
    carries: { lot: false, serial: true, expiry: true, manufacture: false },
    bodySite: 'aortic valve',
    sided: false,
    procedure: { code: 'K26.4', description: 'Replacement of aortic valve' },
  },
];

export const SIZES_PER_FAMILY = 50;

/** Company prefix 5012345 (a UK GS1 prefix shape); the item reference numbers the devices. */
function gtinOf(indicator: number, item: number): string {
  const body = `${indicator}5012345${String(item).padStart(5, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
}

export function demoDevices(): DemoDevice[] {
  return DEMO_FAMILIES.flatMap((family, familyIndex) =>
    Array.from({ length: SIZES_PER_FAMILY }, (_, size) => {
      const item = familyIndex * 100 + size;
      return {
        gtin: gtinOf(0, item),
        // Orthopaedic stock comes in cases, and theatre stores scan the case.
        packageGtin: family.bodySite === 'hip' ? gtinOf(1, item) : undefined,
        family,
        size,
      };
    }),
  );
}

const CSV_HEADER =
  'deviceIdentifier,issuingAgency,manufacturer,brand,model,catalogNumber,description,gmdnCode,' +
  'implantable,mriSafety,lotNumber,serialNumber,expirationDate,manufactureDate,status,otherIdentifiers';

/**
 * The demo catalogue in the import's CSV layout. Every value is made here from the constants
 * above, none holds a comma, quote or line break, so joining them is exact CSV; the check below
 * keeps it so.
 */
export async function writeDemoCatalogue(path: string, devices: readonly DemoDevice[]) {
  const lines = devices.map(({ gtin, packageGtin, family, size }) => {
    const fields = [
      gtin,
      'GS1',
      family.manufacturer,
      family.brand,
      `${family.modelPrefix}-${size + 1}`,
      `${family.modelPrefix}${String(size + 1).padStart(3, '0')}`,
      `${family.description} size ${size + 1}`,
      family.gmdnCode,
      'true',
      family.mriSafety,
      String(family.carries.lot),
      String(family.carries.serial),
      String(family.carries.expiry),
      String(family.carries.manufacture),
      'on-market',
      packageGtin === undefined ? '' : `package:${packageGtin}:5`,
    ];
    const unsafe = fields.find((field) => /[",\r\n]/.test(field));
    if (unsafe !== undefined) throw new Error(`demo catalogue value needs CSV quoting: ${unsafe}`);
    return fields.join(',');
  });
  await writeFile(path, `${[CSV_HEADER, ...lines].join('\n')}\n`);
}
