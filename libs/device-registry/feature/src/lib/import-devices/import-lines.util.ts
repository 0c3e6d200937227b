import { Transform } from 'node:stream';

/** One line of an import file, numbered from 1 (the header), or why it cannot be read. */
export type ImportLine = { line: number; text: string } | { line: number; problem: string };

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Splits an upload into lines, one record each, so that every row is reported by its line
 * number and memory is bounded by `maxLineBytes` whatever the file holds. A line longer than
 * that is not buffered: it is reported and skipped up to its end. Each line is decoded as
 * strict UTF-8; a line that is not is reported (a lenient decoder would silently turn it
 * into U+FFFD and store a manufacturer or brand nobody wrote).
 */
export function splitImportLines(maxLineBytes: number): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let parts: Buffer[] = [];
  let length = 0;
  let overLong = false;
  let lineNumber = 0;

  const lineOf = (): ImportLine => {
    lineNumber++;
    const line = lineNumber;
    if (overLong) return { line, problem: `the line is longer than ${maxLineBytes} bytes` };
    let bytes = parts.length === 1 ? (parts[0] ?? Buffer.alloc(0)) : Buffer.concat(parts, length);
    if (bytes[bytes.length - 1] === CARRIAGE_RETURN) bytes = bytes.subarray(0, -1);
    if (line === 1 && bytes.subarray(0, 3).equals(UTF8_BOM)) bytes = bytes.subarray(3);
    try {
      return { line, text: decoder.decode(bytes) };
    } catch {
      return { line, problem: 'the line is not valid UTF-8' };
    }
  };

  const append = (segment: Buffer) => {
    if (overLong || segment.length === 0) return;
    length += segment.length;
    if (length > maxLineBytes) {
      overLong = true;
      parts = [];
    } else {
      parts.push(segment);
    }
  };

  const reset = () => {
    parts = [];
    length = 0;
    overLong = false;
  };

  return new Transform({
    readableObjectMode: true,
    transform(chunk: Buffer, _encoding, callback) {
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE); end >= 0; end = chunk.indexOf(NEWLINE, start)) {
        append(chunk.subarray(start, end));
        this.push(lineOf());
        reset();
        start = end + 1;
      }
      // Copied: the rest of this chunk waits for the next one, which must not pin it whole.
      append(Buffer.from(chunk.subarray(start)));
      callback();
    },
    flush(callback) {
      if (length > 0 || overLong) this.push(lineOf());
      callback();
    },
  });
}
