/**
 * Splits one CSV line (RFC 4180 quoting: `"a, b"`, `""` for a quote). A quoted field that runs
 * past the end of the line is an error: import rows are one per line so that a file can be
 * streamed and each rejection named by its line number.
 */
export function splitCsvLine(line: string): string[] | undefined {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < line.length) {
    const character = line.charAt(i);
    if (quoted) {
      if (character === '"' && line.charAt(i + 1) === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (character === '"') quoted = false;
      else field += character;
    } else if (character === '"' && field === '') {
      quoted = true;
    } else if (character === ',') {
      fields.push(field);
      field = '';
    } else {
      field += character;
    }
    i++;
  }
  if (quoted) return undefined;
  fields.push(field);
  return fields;
}

/** GUDID release files are pipe-delimited with no quoting. */
export function splitPipeLine(line: string): string[] {
  return line.split('|');
}
