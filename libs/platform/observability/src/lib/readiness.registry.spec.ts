import { ReadinessRegistry } from './readiness.registry';

const up = async (): Promise<void> => undefined;
const down = async (): Promise<void> => {
  throw new Error('connection refused');
};

describe('ReadinessRegistry', () => {
  it('is unavailable when an essential dependency is down', async () => {
    const registry = new ReadinessRegistry();
    registry.register('database', down);
    registry.register('cache', up, { essential: false });
    expect(await registry.report()).toEqual({
      status: 'unavailable',
      checks: {
        database: { status: 'down', error: 'connection refused' },
        cache: { status: 'up' },
      },
    });
  });

  it('stays in service, degraded, when only a dependency it works around is down', async () => {
    const registry = new ReadinessRegistry();
    registry.register('database', up);
    registry.register('cache', down, { essential: false });
    expect(await registry.report()).toEqual({
      status: 'degraded',
      checks: {
        database: { status: 'up' },
        cache: { status: 'down', error: 'connection refused' },
      },
    });
  });

  it('is degraded when a check reports degradation, and ok when every check is up', async () => {
    const registry = new ReadinessRegistry();
    registry.register('database', up);
    expect((await registry.report()).status).toBe('ok');
    registry.register('consumers', async () => ({ degraded: { paused: ['t/0'] } }));
    expect(await registry.report()).toEqual({
      status: 'degraded',
      checks: {
        database: { status: 'up' },
        consumers: { status: 'degraded', details: { paused: ['t/0'] } },
      },
    });
  });
});
