import type { RouteAccess } from './access.policy';
import { decideAccess } from './access.policy';

const theatre = { sub: 'u1', role: 'theatre', ods: 'RXH01' } as const;
const regulator = { sub: 'r1', role: 'regulator' } as const;

function route(overrides: Partial<RouteAccess>): RouteAccess {
  return { isPublic: false, roles: undefined, hospitalScope: undefined, ...overrides };
}

describe('decideAccess', () => {
  it('lets anyone call a public route', () => {
    expect(decideAccess(route({ isPublic: true }), undefined, [])).toEqual({ allowed: true });
  });

  it('refuses a route that has no role decision, even with a valid token', () => {
    expect(decideAccess(route({}), theatre, [])).toMatchObject({ allowed: false, status: 500 });
  });

  it('answers 401 without a principal and 403 for a role not listed', () => {
    expect(decideAccess(route({ roles: ['theatre'] }), undefined, [])).toMatchObject({
      status: 401,
    });
    expect(decideAccess(route({ roles: ['theatre'] }), regulator, [])).toMatchObject({
      status: 403,
    });
  });

  it('confines a scoped role to its own hospital on a hospital-scoped route', () => {
    const scoped = route({ roles: ['theatre', 'admin'], hospitalScope: { param: 'ods' } });
    expect(decideAccess(scoped, theatre, ['RXH01'])).toEqual({ allowed: true });
    expect(decideAccess(scoped, theatre, ['RXH01', 'RAJ01'])).toMatchObject({ status: 403 });
    expect(decideAccess(scoped, theatre, [undefined])).toMatchObject({ status: 403 });
    expect(decideAccess(scoped, { sub: 'a', role: 'admin' }, ['RAJ01'])).toEqual({
      allowed: true,
    });
  });
});
