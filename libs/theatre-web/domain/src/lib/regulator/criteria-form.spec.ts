import { criteriaFromForm, EMPTY_CRITERIA_FORM, formFromCriteria } from './criteria-form';

describe('criteriaFromForm', () => {
  it('reads lists by line or comma, without repeats, and only the fields filled in', () => {
    expect(
      criteriaFromForm({
        ...EMPTY_CRITERIA_FORM,
        deviceIdentifiers: '05012345678900\n05012345678917, 05012345678900',
        lotNumbers: 'LOT-1, LOT-2',
        serialRanges: 'S100-S199\n1000 to 2000',
        expiresFrom: '2027-01-01',
      }),
    ).toEqual({
      ok: true,
      criteria: {
        deviceIdentifiers: ['05012345678900', '05012345678917'],
        lotNumbers: ['LOT-1', 'LOT-2'],
        serialRanges: [
          { from: 'S100', to: 'S199' },
          { from: '1000', to: '2000' },
        ],
        expiresBetween: { from: '2027-01-01' },
      },
    });
  });

  it('needs a device selector: a manufacturer alone is not one, with models it is', () => {
    expect(
      criteriaFromForm({ ...EMPTY_CRITERIA_FORM, manufacturer: 'Acme', lotNumbers: '42' }),
    ).toMatchObject({
      ok: false,
      errors: [{ field: 'deviceIdentifiers' }],
    });
    expect(
      criteriaFromForm({ ...EMPTY_CRITERIA_FORM, manufacturer: 'Acme', models: 'Hip 52' }),
    ).toEqual({
      ok: true,
      criteria: { manufacturer: 'Acme', models: ['Hip 52'] },
    });
  });

  it('names a serial range it cannot read', () => {
    expect(
      criteriaFromForm({ ...EMPTY_CRITERIA_FORM, catalogNumbers: 'REF1', serialRanges: 'S100' }),
    ).toEqual({
      ok: false,
      errors: [{ field: 'serialRanges', message: '"S100" is not a range "from-to"' }],
    });
  });
});

describe('formFromCriteria', () => {
  it('shows criteria in the form so that reading it back gives the same criteria', () => {
    const criteria = {
      deviceIdentifiers: ['05012345678900'],
      lotNumbers: ['LOT-1', 'LOT-2'],
      serialRanges: [{ from: 'S100', to: 'S199' }],
      expiresBetween: { from: '2027-01-01' },
    };
    expect(criteriaFromForm(formFromCriteria(criteria))).toEqual({ ok: true, criteria });
  });
});
