import { parseDevelopmentTokenRequest } from './token-request.util';

describe('parseDevelopmentTokenRequest (npm run token)', () => {
  it('builds a theatre request for one hospital with a default subject and lifetime', () => {
    expect(parseDevelopmentTokenRequest({ role: 'theatre', ods: 'RXH01' })).toEqual({
      role: 'theatre',
      ods: 'RXH01',
      sub: 'dev-theatre-RXH01',
      expiresInSeconds: 28_800,
    });
  });

  it('refuses what the services would refuse', () => {
    expect(() => parseDevelopmentTokenRequest({ role: 'surgeon' })).toThrow(/--role/);
    expect(() => parseDevelopmentTokenRequest({ role: 'hospital-system' })).toThrow(/ods/);
    expect(() => parseDevelopmentTokenRequest({ role: 'regulator', 'expires-in': 'soon' })).toThrow(
      /--expires-in/,
    );
  });
});
