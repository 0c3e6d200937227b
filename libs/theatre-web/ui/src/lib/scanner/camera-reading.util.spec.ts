import { parseUdi } from '@implant-trace/udi';

import { scanTextOfReading } from './camera-reading.util';

describe('scanTextOfReading', () => {
  it('puts the symbology identifier of a GS1 DataMatrix or GS1-128 in front, so it parses as GS1', () => {
    const text = scanTextOfReading({
      text: '010501234567890017301231\u001d10LOT1',
      symbologyIdentifier: ']d2',
    });
    expect(text).toBe(']d2010501234567890017301231\u001d10LOT1');
    expect(parseUdi(text)).toMatchObject({
      ok: true,
      udi: { lotNumber: 'LOT1', expirationDate: '2030-12-31' },
    });
    expect(scanTextOfReading({ text: '0105012345678900', symbologyIdentifier: ']C1' })).toBe(
      ']C10105012345678900',
    );
  });

  it('keeps a Digital Link QR code and a HIBCC symbol as their text', () => {
    expect(
      scanTextOfReading({
        text: 'https://id.gs1.org/01/05012345678900/10/LOT1',
        symbologyIdentifier: ']Q1',
      }),
    ).toBe('https://id.gs1.org/01/05012345678900/10/LOT1');
    expect(scanTextOfReading({ text: '+A123BJC5D6E71G', symbologyIdentifier: ']C0' })).toBe(
      '+A123BJC5D6E71G',
    );
  });
});
