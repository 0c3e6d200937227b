/** The recall criteria form as typed: lists one value per line or comma-separated. */
export interface CriteriaForm {
  deviceIdentifiers: string;
  catalogNumbers: string;
  manufacturer: string;
  models: string;
  lotNumbers: string;
  serialNumbers: string;
  /** `from-to`, one range per line. */
  serialRanges: string;
  manufacturedFrom: string;
  manufacturedTo: string;
  expiresFrom: string;
  expiresTo: string;
}

export const EMPTY_CRITERIA_FORM: CriteriaForm = {
  deviceIdentifiers: '',
  catalogNumbers: '',
  manufacturer: '',
  models: '',
  lotNumbers: '',
  serialNumbers: '',
  serialRanges: '',
  manufacturedFrom: '',
  manufacturedTo: '',
  expiresFrom: '',
  expiresTo: '',
};

/** The criteria body of API.md (recall-matching), only with the fields that were filled in. */
export interface CriteriaBody {
  deviceIdentifiers?: string[];
  catalogNumbers?: string[];
  manufacturer?: string;
  models?: string[];
  lotNumbers?: string[];
  serialNumbers?: string[];
  serialRanges?: { from: string; to: string }[];
  manufacturedBetween?: { from?: string; to?: string };
  expiresBetween?: { from?: string; to?: string };
}

export type CriteriaReading =
  | { ok: true; criteria: CriteriaBody }
  | { ok: false; errors: { field: keyof CriteriaForm; message: string }[] };

function list(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\n,]/)
        .map((value) => value.trim())
        .filter((value) => value !== ''),
    ),
  ];
}

function between(from: string, to: string): { from?: string; to?: string } | undefined {
  if (from === '' && to === '') return undefined;
  return { ...(from === '' ? {} : { from }), ...(to === '' ? {} : { to }) };
}

/**
 * The criteria the form describes, or what is missing. As recall-matching requires, there is a
 * device selector (identifiers, catalogue numbers, or a manufacturer with models): a recall of
 * "every lot 42 of anything" would reach patients it was never meant for.
 */
export function criteriaFromForm(form: CriteriaForm): CriteriaReading {
  const errors: { field: keyof CriteriaForm; message: string }[] = [];
  const criteria: CriteriaBody = {};
  const assign = <
    K extends 'deviceIdentifiers' | 'catalogNumbers' | 'models' | 'lotNumbers' | 'serialNumbers',
  >(
    key: K,
  ) => {
    const values = list(form[key]);
    if (values.length > 0) criteria[key] = values;
  };
  assign('deviceIdentifiers');
  assign('catalogNumbers');
  assign('models');
  assign('lotNumbers');
  assign('serialNumbers');
  if (form.manufacturer.trim() !== '') criteria.manufacturer = form.manufacturer.trim();
  const ranges = form.serialRanges
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const parsedRanges: { from: string; to: string }[] = [];
  for (const line of ranges) {
    const match = /^(\S+)\s*(?:-|–|to)\s*(\S+)$/.exec(line);
    if (match === null)
      errors.push({ field: 'serialRanges', message: `"${line}" is not a range "from-to"` });
    else parsedRanges.push({ from: match[1] as string, to: match[2] as string });
  }
  if (parsedRanges.length > 0) criteria.serialRanges = parsedRanges;
  const manufactured = between(form.manufacturedFrom, form.manufacturedTo);
  if (manufactured !== undefined) criteria.manufacturedBetween = manufactured;
  const expires = between(form.expiresFrom, form.expiresTo);
  if (expires !== undefined) criteria.expiresBetween = expires;
  const hasSelector =
    criteria.deviceIdentifiers !== undefined ||
    criteria.catalogNumbers !== undefined ||
    (criteria.manufacturer !== undefined && criteria.models !== undefined);
  if (!hasSelector) {
    errors.push({
      field: 'deviceIdentifiers',
      message:
        'Name the devices: device identifiers, catalogue numbers, or a manufacturer with models.',
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, criteria };
}

/** The form showing `criteria` (as a list's dry run returned them), one value per line. */
export function formFromCriteria(criteria: CriteriaBody): CriteriaForm {
  const lines = (values: string[] | undefined) => (values ?? []).join('\n');
  return {
    deviceIdentifiers: lines(criteria.deviceIdentifiers),
    catalogNumbers: lines(criteria.catalogNumbers),
    manufacturer: criteria.manufacturer ?? '',
    models: lines(criteria.models),
    lotNumbers: lines(criteria.lotNumbers),
    serialNumbers: lines(criteria.serialNumbers),
    serialRanges: (criteria.serialRanges ?? []).map(({ from, to }) => `${from}-${to}`).join('\n'),
    manufacturedFrom: criteria.manufacturedBetween?.from ?? '',
    manufacturedTo: criteria.manufacturedBetween?.to ?? '',
    expiresFrom: criteria.expiresBetween?.from ?? '',
    expiresTo: criteria.expiresBetween?.to ?? '',
  };
}
