import { classifyAddress, decideAddress, parseEndpointUrl } from './endpoint-url.policy';

const production = { allowLoopback: false, allowPrivate: false };
const local = { allowLoopback: true, allowPrivate: false };

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.9.9.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00::1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['172.32.0.1', 'public'],
    ['8.8.8.8', 'public'],
    ['2a00:1450:4009::1', 'public'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });
});

describe('decideAddress', () => {
  it('refuses every non-public address in production', () => {
    for (const address of ['127.0.0.1', '10.0.0.1', '169.254.169.254', '::1', 'fe80::1']) {
      expect(decideAddress(address, production)).toMatchObject({ allowed: false });
    }
    expect(decideAddress('8.8.8.8', production)).toEqual({ allowed: true });
  });

  it('allows loopback, and only loopback, when local runs allow it', () => {
    expect(decideAddress('127.0.0.1', local)).toEqual({ allowed: true });
    expect(decideAddress('10.0.0.1', local)).toMatchObject({ allowed: false });
    expect(decideAddress('169.254.169.254', local)).toMatchObject({ allowed: false });
  });
});

describe('parseEndpointUrl', () => {
  it('requires https, except to a loopback host when loopback is allowed', () => {
    expect(parseEndpointUrl('http://example.com/hook', local)).toMatchObject({ ok: false });
    expect(parseEndpointUrl('ftp://example.com/hook', local)).toMatchObject({ ok: false });
    expect(parseEndpointUrl('http://127.0.0.1:8080/hook', local)).toMatchObject({ ok: true });
    expect(parseEndpointUrl('http://localhost:8080/hook', local)).toMatchObject({ ok: true });
    expect(parseEndpointUrl('http://127.0.0.1:8080/hook', production)).toMatchObject({
      ok: false,
    });
    expect(parseEndpointUrl('https://example.com/hook', production)).toMatchObject({ ok: true });
  });

  it('refuses literal private, link-local and IPv6 loopback hosts', () => {
    expect(parseEndpointUrl('https://10.0.0.5/hook', local)).toMatchObject({ ok: false });
    expect(parseEndpointUrl('https://169.254.169.254/latest', local)).toMatchObject({ ok: false });
    expect(parseEndpointUrl('https://[::1]/hook', production)).toMatchObject({ ok: false });
  });

  it('refuses credentials, relative and over-long URLs', () => {
    expect(parseEndpointUrl('https://user:pw@example.com/', production)).toMatchObject({
      ok: false,
    });
    expect(parseEndpointUrl('/hook', production)).toMatchObject({ ok: false });
    expect(parseEndpointUrl(`https://example.com/${'a'.repeat(2000)}`, production)).toMatchObject({
      ok: false,
    });
  });
});
