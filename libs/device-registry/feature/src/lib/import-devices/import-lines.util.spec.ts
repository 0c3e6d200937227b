import { Readable } from 'node:stream';

import type { ImportLine } from './import-lines.util';
import { splitImportLines } from './import-lines.util';

async function linesOf(chunks: (string | Buffer)[], maxLineBytes = 64): Promise<ImportLine[]> {
  const lines: ImportLine[] = [];
  const source = Readable.from(chunks.map((chunk) => Buffer.from(chunk)));
  for await (const line of source.pipe(splitImportLines(maxLineBytes))) {
    lines.push(line as ImportLine);
  }
  return lines;
}

describe('splitImportLines', () => {
  it('numbers every line, blank ones included, across chunk boundaries and line endings', async () => {
    expect(await linesOf(['\uFEFFhead', 'er\r\nfir', 'st\n\nlast'])).toEqual([
      { line: 1, text: 'header' },
      { line: 2, text: 'first' },
      { line: 3, text: '' },
      { line: 4, text: 'last' },
    ]);
  });

  it('keeps a multi-byte character split between chunks', async () => {
    const bytes = Buffer.from('Zürich\n');
    expect(await linesOf([bytes.subarray(0, 2), bytes.subarray(2)])).toEqual([
      { line: 1, text: 'Zürich' },
    ]);
  });

  it('reports a line that is not valid UTF-8 by its number and reads on', async () => {
    const invalid = Buffer.concat([
      Buffer.from('Acme '),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('\n'),
    ]);
    expect(await linesOf(['header\n', invalid, 'next\n'])).toEqual([
      { line: 1, text: 'header' },
      { line: 2, problem: 'the line is not valid UTF-8' },
      { line: 3, text: 'next' },
    ]);
  });

  it('reports a line longer than the limit without holding it, and reads on', async () => {
    const long = 'x'.repeat(40);
    expect(await linesOf(['header\n', long, long, '\nnext', '\n', 'y'.repeat(65)], 64)).toEqual([
      { line: 1, text: 'header' },
      { line: 2, problem: 'the line is longer than 64 bytes' },
      { line: 3, text: 'next' },
      { line: 4, problem: 'the line is longer than 64 bytes' },
    ]);
    expect(await linesOf(['z'.repeat(64)], 64)).toEqual([{ line: 1, text: 'z'.repeat(64) }]);
  });
});
