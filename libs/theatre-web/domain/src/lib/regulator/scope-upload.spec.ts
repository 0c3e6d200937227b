import { EMPTY_SCOPE_COLUMNS, scopeQuery } from './scope-upload';

describe('scopeQuery', () => {
  it('names only the columns given, trimmed, with the mode', () => {
    expect(scopeQuery({ ...EMPTY_SCOPE_COLUMNS, lot: ' Batch ', udi: 'Unit UDI' })).toEqual({
      ok: true,
      query: '?lot=Batch&udi=Unit+UDI&mode=widen',
    });
  });

  it('sends the criteria of a dry run as JSON', () => {
    const reading = scopeQuery(
      { ...EMPTY_SCOPE_COLUMNS, serial: 'SN', mode: 'set' },
      {
        deviceIdentifiers: ['05012345678900'],
      },
    );
    expect(reading.ok && new URLSearchParams(reading.query).get('criteria')).toBe(
      '{"deviceIdentifiers":["05012345678900"]}',
    );
  });

  it('refuses a list read by no column', () => {
    expect(scopeQuery({ ...EMPTY_SCOPE_COLUMNS, lot: '  ' })).toEqual({
      ok: false,
      message: 'Name the column of the list holding lots, serials or UDIs.',
    });
  });
});
