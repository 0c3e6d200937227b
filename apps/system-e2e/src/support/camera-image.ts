import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { BrowserContext } from 'playwright-core';
import { prepareZXingModule, writeBarcode } from 'zxing-wasm/writer';

const WIDTH = 640;
const HEIGHT = 480;

/** The barcode as SVG, from the same WebAssembly library the page reads with (local file, no CDN). */
async function barcodeSvg(text: string): Promise<string> {
  const wasm = readFileSync(
    join(require.resolve('zxing-wasm/writer'), '..', '..', '..', 'writer', 'zxing_writer.wasm'),
  );
  prepareZXingModule({
    overrides: {
      wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength),
    },
  });
  const written = await writeBarcode(text, { format: 'QRCode', scale: 6 });
  if (written.error !== '') throw new Error(`the barcode could not be written: ${written.error}`);
  return written.svg;
}

/**
 * Writes a Y4M video of one frame showing the barcode, for Chromium's fake camera
 * (`--use-file-for-fake-video-capture`). The browser draws the SVG; the frame's RGB becomes
 * the I420 planes Y4M holds.
 */
export async function writeCameraFile(
  browser: BrowserContext,
  text: string,
  file: string,
): Promise<void> {
  const svg = await barcodeSvg(text);
  const page = await browser.newPage();
  // Run in the page (this project compiles without the DOM library, so as source text).
  const script = `(async () => {
    const image = new Image();
    image.src = 'data:image/svg+xml;base64,' + btoa(${JSON.stringify(svg)});
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = ${WIDTH};
    canvas.height = ${HEIGHT};
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, ${WIDTH}, ${HEIGHT});
    const size = ${Math.min(WIDTH, HEIGHT) * 0.8};
    context.drawImage(image, (${WIDTH} - size) / 2, (${HEIGHT} - size) / 2, size, size);
    return Array.from(context.getImageData(0, 0, ${WIDTH}, ${HEIGHT}).data);
  })()`;
  const rgba = (await page.evaluate(script)) as number[];
  await page.close();
  const y = Buffer.alloc(WIDTH * HEIGHT);
  const u = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2));
  const v = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2));
  for (let row = 0; row < HEIGHT; row += 1) {
    for (let column = 0; column < WIDTH; column += 1) {
      const at = (row * WIDTH + column) * 4;
      const [r, g, b] = [rgba[at] ?? 0, rgba[at + 1] ?? 0, rgba[at + 2] ?? 0];
      y[row * WIDTH + column] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
      if (row % 2 === 0 && column % 2 === 0) {
        const chroma = (row / 2) * (WIDTH / 2) + column / 2;
        u[chroma] = Math.round(128 - 0.168736 * r - 0.331264 * g + 0.5 * b);
        v[chroma] = Math.round(128 + 0.5 * r - 0.418688 * g - 0.081312 * b);
      }
    }
  }
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  await writeFile(file, Buffer.concat([header, Buffer.from('FRAME\n'), y, u, v]));
}
