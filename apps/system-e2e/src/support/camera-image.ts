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
 * (`--use-file-for-fake-video-capture`). The browser draws the SVG and turns the frame's RGB
 * into the I420 planes Y4M holds.
 */
export async function writeCameraFile(
  browser: BrowserContext,
  text: string,
  file: string,
): Promise<void> {
  const svg = await barcodeSvg(text);
  const page = await browser.newPage();
  // Run in the page (this project compiles without the DOM library, so as source text); the
  // RGB to I420 conversion happens there too, so only the planes cross, as base64.
  const script = `(async () => {
    const width = ${WIDTH};
    const height = ${HEIGHT};
    const image = new Image();
    image.src = 'data:image/svg+xml;base64,' + btoa(${JSON.stringify(svg)});
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, width, height);
    const size = Math.min(width, height) * 0.8;
    context.drawImage(image, (width - size) / 2, (height - size) / 2, size, size);
    const rgba = context.getImageData(0, 0, width, height).data;
    const planes = new Uint8Array(width * height * 1.5);
    const uAt = width * height;
    const vAt = uAt + (width / 2) * (height / 2);
    for (let row = 0; row < height; row += 1) {
      for (let column = 0; column < width; column += 1) {
        const at = (row * width + column) * 4;
        const r = rgba[at], g = rgba[at + 1], b = rgba[at + 2];
        planes[row * width + column] = 0.299 * r + 0.587 * g + 0.114 * b;
        if (row % 2 === 0 && column % 2 === 0) {
          const chroma = (row / 2) * (width / 2) + column / 2;
          planes[uAt + chroma] = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b;
          planes[vAt + chroma] = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b;
        }
      }
    }
    let binary = '';
    for (let at = 0; at < planes.length; at += 0x8000) {
      binary += String.fromCharCode(...planes.subarray(at, at + 0x8000));
    }
    return btoa(binary);
  })()`;
  const planes = Buffer.from((await page.evaluate(script)) as string, 'base64');
  await page.close();
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`);
  await writeFile(file, Buffer.concat([header, Buffer.from('FRAME\n'), planes]));
}
