import { once } from 'node:events';
import { createWriteStream } from 'node:fs';

import { gs1CheckDigit } from '@implant-trace/udi';

/** A GTIN-14 from a 13-digit body: the GS1 mod-10 check digit appended. */
function gtin(body: string): string {
  return `${body}${gs1CheckDigit(body)}`;
}

async function writeLines(path: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(path);
  for (const line of lines) {
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/**
 * A GUDID-style device file with `devices` rows and an identifiers file giving each device
 * three more packaging levels (indicator digits 1-3 on the same GTIN body): `4 x devices`
 * identifiers in all. Written as streams, so any size fits in memory.
 */
export async function generateGudidFiles(
  devices: number,
  devicePath: string,
  identifiersPath: string,
): Promise<void> {
  if (devices > 999_999) throw new RangeError('at most 999,999 devices (6-digit item reference)');
  const body = (indicator: number, i: number) => `${indicator}761234${String(i).padStart(6, '0')}`;
  await writeLines(
    devicePath,
    (function* () {
      yield 'PrimaryDI|publicDeviceRecordKey|brandName|versionModelNumber|catalogNumber|companyName|deviceDescription|lotBatch|serialNumber|manufacturingDate|expirationDate|MRISafetyStatus|deviceCommDistributionStatus|implantable|gmdnCode';
      for (let i = 0; i < devices; i++) {
        yield `${gtin(body(0, i))}|bench-${i}|Bench Implant ${i % 1000}|M-${i}|REF-${i}|Bench Manufacturer ${i % 50}|Generated implant ${i}|true|true|false|true|MR Conditional|In Commercial Distribution|true|35666`;
      }
    })(),
  );
  await writeLines(
    identifiersPath,
    (function* () {
      yield 'PrimaryDI|deviceId|deviceIdType|deviceIdIssuingAgency|containsDINumber|pkgQuantity|pkgDiscontinueDate|pkgStatus|pkgType';
      for (let i = 0; i < devices; i++) {
        const primary = gtin(body(0, i));
        for (let level = 1; level <= 3; level++) {
          yield `${primary}|${gtin(body(level, i))}|Package|GS1||${level * 5}||In Commercial Distribution|Box`;
        }
      }
    })(),
  );
}
