import { InvalidClaimsError, principalFromClaims } from './principal.util';

describe('principalFromClaims', () => {
  it('reads sub, role and ods', () => {
    expect(principalFromClaims({ sub: 'u1', role: 'theatre', ods: 'RXH01' })).toEqual({
      sub: 'u1',
      role: 'theatre',
      ods: 'RXH01',
    });
    expect(principalFromClaims({ sub: 'r1', role: 'regulator' })).toEqual({
      sub: 'r1',
      role: 'regulator',
    });
  });

  it.each([
    [{ role: 'theatre', ods: 'RXH01' }, /sub/],
    [{ sub: 'u1', role: 'surgeon' }, /role/],
    [{ sub: 'u1', role: 'theatre' }, /ods/],
    [{ sub: 'u1', role: 'hospital-system' }, /ods/],
    [{ sub: 'u1', role: 'admin', ods: 'not an ods code' }, /ods/],
  ])('refuses %p', (claims, message) => {
    expect(() => principalFromClaims(claims)).toThrow(InvalidClaimsError);
    expect(() => principalFromClaims(claims)).toThrow(message);
  });
});
