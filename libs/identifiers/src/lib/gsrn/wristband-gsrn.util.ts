import { gs1CheckDigit } from '@implant-trace/udi';

import type { NhsNumber, NhsNumberOptions, NhsNumberReason } from '../nhs-number/nhs-number.util';
import { parseNhsNumber } from '../nhs-number/nhs-number.util';

/*
 * How an NHS patient wristband carries the NHS number in a GSRN.
 *
 * Source: NHS Data Model and Dictionary, "GS1 Global Service Relation Number" and "GS1
 * GLOBAL SERVICE RELATION NUMBER CHECK DIGIT" (AIDC for Patient Identification Data Set,
 * standard DCB1077 / ISB 1077): for that data set the GSRN identifies the relationship
 * between a Health Care Provider and a PATIENT and ends in a modulo-10 check digit; the
 * GS1 General Specifications fix the GSRN (AI 8018) at 18 digits: GS1 Company Prefix,
 * service reference, check digit.
 *
 * The Dictionary's list of components could not be read from the copies available, nor
 * the national GS1 Company Prefix, if one is used. What follows is the only layout in
 * which a ten-digit NHS number fits an 18-digit GSRN as its service reference: digits 1-7
 * are the GS1 Company Prefix (with any zero padding of a shorter service reference),
 * digits 8-17 the NHS number, digit 18 the GS1 check digit. Because the prefix is not
 * established, callers that know the prefixes in use should pin them with
 * `issuerPrefixes`; both check digits (GS1 mod 10 and NHS mod 11) are always verified, so
 * a GSRN of some other layout is very unlikely to yield a valid-looking NHS number.
 */
const GSRN_AI = '8018';
const GSRN_LENGTH = 18;
const PREFIX_LENGTH = 7;
const GS = '\u001d';
const BARE_GSRN = /^[0-9]{18}$/;
const ALL_DIGITS = /^[0-9]+$/;
const NON_DIGIT = /[^0-9]/;

// GS1 symbologies that can carry AI 8018: GS1-128, GS1 DataMatrix, GS1 QR Code, GS1
// DataBar, GS1 DotCode. Any other symbology identifier means the data is not GS1.
const GS1_SYMBOLOGY_IDS = new Set([']C1', ']d2', ']Q3', ']e0', ']J1']);

/** Why a scan does not yield an NHS number from a wristband GSRN. */
export type WristbandGsrnReason =
  | 'empty'
  | 'not-gs1'
  | 'not-gsrn'
  | 'non-digit'
  | 'wrong-length'
  | 'check-digit'
  | 'unknown-prefix'
  | 'nhs-number';

export interface WristbandGsrnOptions extends NhsNumberOptions {
  /** The seven-digit prefixes (digits 1-7) this deployment accepts; any when absent. */
  issuerPrefixes?: readonly string[];
}

export type WristbandGsrnResult =
  | { ok: true; gsrn: string; issuerPrefix: string; nhsNumber: NhsNumber; isTestNumber: boolean }
  | {
      ok: false;
      reason: WristbandGsrnReason;
      /** Why the embedded NHS number was refused, when `reason` is `nhs-number`. */
      nhsNumberReason?: NhsNumberReason;
      message: string;
    };

/**
 * Reads the NHS number from a wristband GSRN, given as the bare 18 digits or as a GS1
 * element string (`8018...`, `(8018)...`), optionally with a GS1 symbology identifier
 * (`]d2`, `]C1`, ...), a leading GS for FNC1 and a trailing CR/LF from the scanner. The
 * GSRN must be the first element; elements after it (after a GS, or the next `(`) are
 * left to their own readers. Never throws.
 */
export function parseWristbandGsrn(
  scan: string,
  options: WristbandGsrnOptions = {},
): WristbandGsrnResult {
  const value = extractGsrnValue(scan);
  if (typeof value !== 'string') {
    return value;
  }
  if (NON_DIGIT.test(value)) {
    return fail('non-digit', 'A GSRN has only digits.');
  }
  if (value.length !== GSRN_LENGTH) {
    return fail('wrong-length', `A GSRN has ${GSRN_LENGTH} digits; this has ${value.length}.`);
  }
  if (gs1CheckDigit(value.slice(0, GSRN_LENGTH - 1)) !== value.charCodeAt(GSRN_LENGTH - 1) - 48) {
    return fail('check-digit', 'The GSRN check digit does not match: the scan is corrupt.');
  }
  const issuerPrefix = value.slice(0, PREFIX_LENGTH);
  if (options.issuerPrefixes !== undefined && !options.issuerPrefixes.includes(issuerPrefix)) {
    return fail(
      'unknown-prefix',
      'This GSRN was not issued under a prefix this deployment accepts.',
    );
  }
  const nhs = parseNhsNumber(value.slice(PREFIX_LENGTH, GSRN_LENGTH - 1), options);
  if (!nhs.ok) {
    return {
      ok: false,
      reason: 'nhs-number',
      nhsNumberReason: nhs.reason,
      message: `The GSRN does not carry a usable NHS number: ${nhs.message}`,
    };
  }
  return {
    ok: true,
    gsrn: value,
    issuerPrefix,
    nhsNumber: nhs.nhsNumber,
    isTestNumber: nhs.isTestNumber,
  };
}

/**
 * The 18-digit GSRN for an NHS number under a seven-digit prefix, in the layout
 * `parseWristbandGsrn` reads: for printing demo wristbands and for tests.
 */
export function encodeWristbandGsrn(issuerPrefix: string, nhsNumber: NhsNumber): string {
  if (!/^\d{7}$/.test(issuerPrefix)) {
    throw new RangeError('encodeWristbandGsrn needs a seven-digit prefix');
  }
  const body = `${issuerPrefix}${nhsNumber}`;
  return `${body}${gs1CheckDigit(body)}`;
}

/** The candidate GSRN digits of a scan, or the failure that stops before them. */
function extractGsrnValue(scan: string): string | WristbandGsrnResult {
  let data = scan.trim();
  if (data === '') {
    return fail('empty', 'The scan is empty.');
  }
  let aiRequired = false;
  if (data.startsWith(']')) {
    if (!GS1_SYMBOLOGY_IDS.has(data.slice(0, 3))) {
      return fail('not-gs1', 'The symbology identifier says this barcode does not carry GS1 data.');
    }
    data = data.slice(3);
    aiRequired = true;
  }
  if (data.startsWith(GS)) {
    data = data.slice(1);
  }
  if (data.startsWith('(')) {
    if (!data.startsWith(`(${GSRN_AI})`)) {
      return fail('not-gsrn', 'The first element is not a GSRN (AI 8018).');
    }
    return untilDelimiter(data.slice(GSRN_AI.length + 2), '(');
  }
  if (!aiRequired && BARE_GSRN.test(data)) {
    return data;
  }
  if (data.startsWith(GSRN_AI)) {
    return untilDelimiter(data.slice(GSRN_AI.length), GS);
  }
  if (!aiRequired && ALL_DIGITS.test(data)) {
    // A bare number of the wrong length: most likely a GSRN typed or pasted short or long.
    return data;
  }
  return fail('not-gsrn', 'This is not a GSRN or a GS1 element string starting with AI 8018.');
}

function untilDelimiter(data: string, delimiter: string): string {
  const end = data.indexOf(delimiter);
  return end === -1 ? data : data.slice(0, end);
}

function fail(reason: WristbandGsrnReason, message: string): WristbandGsrnResult {
  return { ok: false, reason, message };
}
