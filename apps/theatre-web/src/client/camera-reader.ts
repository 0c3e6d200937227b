import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import wasmUrl from 'zxing-wasm/reader/zxing_reader.wasm?url';

import type { CameraReader } from '@implant-trace/theatre-web-ui';
import { scanTextOfReading } from '@implant-trace/theatre-web-ui';

// The reader's WebAssembly comes from this origin, never from a CDN: the page must work on a
// hospital network that allows only its own servers.
prepareZXingModule({
  overrides: {
    locateFile: (path: string, prefix: string) =>
      path.endsWith('.wasm') ? wasmUrl : prefix + path,
  },
});

/** GS1 DataMatrix, GS1-128, QR (Digital Link) and HIBCC (Code 128, Code 39, DataMatrix). */
export const zxingCameraReader: CameraReader = async (frame) => {
  const results = await readBarcodes(frame, {
    formats: ['DataMatrix', 'Code128', 'QRCode', 'Code39', 'DataBar'],
    tryHarder: true,
    maxNumberOfSymbols: 1,
  });
  return results.filter((result) => result.isValid).map(scanTextOfReading);
};
