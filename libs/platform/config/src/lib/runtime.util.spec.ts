import { assertSupportedRuntime, SUPPORTED_NODE_MAJOR } from './runtime.util';

describe('assertSupportedRuntime', () => {
  it('accepts every release of the pinned major version', () => {
    expect(() => assertSupportedRuntime(`${SUPPORTED_NODE_MAJOR}.0.0`)).not.toThrow();
    expect(() => assertSupportedRuntime(`${SUPPORTED_NODE_MAJOR}.11.3`)).not.toThrow();
  });

  it('refuses another major version of Node.js', () => {
    expect(() => assertSupportedRuntime('18.19.1')).toThrow(/Node\.js 24 LTS.*Node\.js 18\.19\.1/);
    expect(() => assertSupportedRuntime(`${SUPPORTED_NODE_MAJOR + 1}.0.0`)).toThrow();
  });
});
