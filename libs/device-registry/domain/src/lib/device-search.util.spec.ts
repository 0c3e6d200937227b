import { decodeSearchCursor, encodeSearchCursor, freeTextQuery } from './device-search.util';

describe('search cursors', () => {
  it('round-trips a device id and refuses anything else', () => {
    const id = '019c0f3e-8a4b-7c3d-9e2f-0123456789ab';
    expect(decodeSearchCursor(encodeSearchCursor(id))).toBe(id);
    expect(decodeSearchCursor('not-a-cursor')).toBeUndefined();
    expect(decodeSearchCursor(Buffer.from(`d1:${id}:x`).toString('base64url'))).toBeUndefined();
    expect(decodeSearchCursor(Buffer.from("d1:1' OR 1=1").toString('base64url'))).toBeUndefined();
  });
});

describe('freeTextQuery', () => {
  it('makes every word a prefix term and lets no operator through', () => {
    expect(freeTextQuery('Hip  ste')).toBe('hip:* & ste:*');
    expect(freeTextQuery("knee & !(x | y) ' :*")).toBe('knee:* & x:* & y:*');
    expect(freeTextQuery(' -- ')).toBeUndefined();
  });
});
