import { parseWristbandGsrn } from '@implant-trace/identifiers';

import { GROUP_SEPARATOR } from './wedge-burst.detector';

export interface ScanTextOptions {
  /** The strings this trust's scanners send in place of GS, e.g. `{GS}` or `^]`. */
  gsAliases?: readonly string[];
}

/**
 * The scan as the services read it: the one CR, LF or CRLF suffix a scanner adds removed, and
 * every configured GS alias replaced by GS itself, so the services never need the trust's
 * scanner settings.
 */
export function canonicalScan(raw: string, { gsAliases = [] }: ScanTextOptions = {}): string {
  let text = raw;
  if (text.endsWith('\n')) text = text.slice(0, -1);
  if (text.endsWith('\r')) text = text.slice(0, -1);
  // Longest alias first, so that an alias containing a shorter one is replaced whole.
  for (const alias of [...gsAliases].sort((a, b) => b.length - a.length)) {
    if (alias !== '') text = text.split(alias).join(GROUP_SEPARATOR);
  }
  return text;
}

export type ScanSubject = 'wristband' | 'device';

const NAMES_GSRN = /^(\][A-Za-z][0-9])?\u001d?(\(8018\)|8018)/;

/**
 * A wristband carries a GSRN (AI 8018); anything else scanned in theatre is a device label. A
 * scan that names AI 8018 but is damaged is still a wristband, so that the patient step says
 * what is wrong with it instead of the device step calling it an unreadable label.
 */
export function subjectOfScan(scan: string): ScanSubject {
  if (parseWristbandGsrn(scan).ok) return 'wristband';
  return NAMES_GSRN.test(scan) ? 'wristband' : 'device';
}

/** GS is invisible on screen: people confirming a scan see it as a visible mark. */
export function displayableScan(scan: string): string {
  return scan.split(GROUP_SEPARATOR).join('⟨GS⟩');
}
