import { cacheKey } from './redis-client.factory';

describe('cacheKey', () => {
  it('joins service, kind and ids', () => {
    expect(cacheKey('implant-events', 'device', '05012345678900')).toBe(
      'implant-events:device:05012345678900',
    );
  });

  it.each([[''], ['a:b']])('refuses a part that would break the key space: %p', (bad) => {
    expect(() => cacheKey('svc', 'kind', bad)).toThrow(/invalid cache key part/);
  });
});
