/** How a manufacturer's list changes the criteria: add its units, or be the whole selection. */
export type ScopeMode = 'widen' | 'set';

/** The header of the list's column holding each kind of value, as the regulator names it. */
export interface ScopeColumnsForm {
  lot: string;
  serial: string;
  udi: string;
  mode: ScopeMode;
}

export const EMPTY_SCOPE_COLUMNS: ScopeColumnsForm = {
  lot: '',
  serial: '',
  udi: '',
  mode: 'widen',
};

export type ScopeQueryReading = { ok: true; query: string } | { ok: false; message: string };

/**
 * The query string of recall-matching's scope endpoints (`?lot=&serial=&udi=&mode=`): only the
 * columns named, at least one of them, since a list read by no column would change nothing.
 * `criteria` (a dry run's) goes along as JSON for the service to widen or replace.
 */
export function scopeQuery(form: ScopeColumnsForm, criteria?: unknown): ScopeQueryReading {
  const params = new URLSearchParams();
  for (const key of ['lot', 'serial', 'udi'] as const) {
    const header = form[key].trim();
    if (header !== '') params.set(key, header);
  }
  if ([...params.keys()].length === 0) {
    return { ok: false, message: 'Name the column of the list holding lots, serials or UDIs.' };
  }
  params.set('mode', form.mode);
  if (criteria !== undefined) params.set('criteria', JSON.stringify(criteria));
  return { ok: true, query: `?${params.toString()}` };
}
