import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { eventJsonSchemas } from '@implant-trace/contracts';

// current/: always what the classes say. published/: the first schema of each event type,
// written once and never overwritten, the baseline that compatibility is checked against.
const schemasDir = join(__dirname, '..', '..', 'libs', 'contracts', 'schemas');
const current = join(schemasDir, 'current');
const published = join(schemasDir, 'published');
mkdirSync(current, { recursive: true });
mkdirSync(published, { recursive: true });

for (const [type, schema] of Object.entries(eventJsonSchemas())) {
  const text = `${JSON.stringify(schema, null, 2)}\n`;
  writeFileSync(join(current, `${type}.json`), text);
  const baseline = join(published, `${type}.json`);
  if (!existsSync(baseline)) {
    writeFileSync(baseline, text);
    console.log(`published baseline added: ${type}`);
  }
}
console.log(`schemas written to ${current}`);
