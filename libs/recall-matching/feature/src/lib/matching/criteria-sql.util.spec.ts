import {
  candidateDevicesQuery,
  matchCountsQuery,
  matchingImplantsQuery,
} from './criteria-sql.util';

describe('candidateDevicesQuery', () => {
  it('finds the devices by identifier through every record that lists it, when identifiers are given', () => {
    const query = candidateDevicesQuery({
      deviceIdentifiers: ['05012345678900'],
      catalogNumbers: ['R'],
    });
    expect(query.sql).toContain('FROM catalogue_record_identifiers');
    expect(query.parameters).toEqual([['05012345678900']]);
  });

  it('compares catalogue numbers and makers normalised, and keeps devices whose record lacks them', () => {
    const byRef = candidateDevicesQuery({ catalogNumbers: [' REF-1 ', 'ref-1', 'REF  2'] });
    expect(byRef.sql).toContain('catalog_number_key IS NULL');
    expect(byRef.parameters).toEqual([['ref-1', 'ref 2']]);
    const byMaker = candidateDevicesQuery({ manufacturer: ' Acme  Ortho ' });
    expect(byMaker.sql).toContain('manufacturer_key IS NULL');
    expect(byMaker.parameters).toEqual(['acme ortho']);
  });

  it("narrows a product line to the maker's devices of those models, keeping those whose record lacks either", () => {
    const line = candidateDevicesQuery({ manufacturer: ' Acme  Ortho ', models: ['M1', ' m1 '] });
    expect(line.sql).toContain('model_key IS NULL');
    expect(line.sql).toContain('manufacturer_key IS NULL');
    expect(line.parameters).toEqual(['acme ortho', ['m1']]);
  });

  it('refuses criteria without a device selector rather than read the whole catalogue', () => {
    expect(() => candidateDevicesQuery({ lotNumbers: ['L1'] })).toThrow(/device selector/);
  });
});

describe('matchingImplantsQuery', () => {
  it('splits serial ranges into numeric ones (compared as numbers) and length-then-text ones', () => {
    const query = matchingImplantsQuery(
      {
        deviceIdentifiers: ['D'],
        serialRanges: [
          { from: '007', to: '150' },
          { from: 'A50', to: 'A99' },
        ],
      },
      { kind: 'implants', implantIds: ['00000000-0000-4000-8000-000000000001'] },
    );
    expect(query.parameters).toEqual(expect.arrayContaining([['7'], ['150'], ['A50'], ['A99']]));
    expect(query.sql).toContain('COLLATE "C"');
  });

  it('counts a dry run over the candidate devices, in total and by hospital', () => {
    const query = matchCountsQuery({ deviceIdentifiers: ['D'] }, [
      '00000000-0000-4000-8000-000000000002',
    ]);
    expect(query.sql).toContain('GROUPING SETS ((m.hospital_ods), ())');
    expect(query.parameters[0]).toEqual(['00000000-0000-4000-8000-000000000002']);
  });
});
