import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderEnvExample, SERVICE_CONFIG_CLASSES } from '@implant-trace/platform-config';

const target = join(__dirname, '..', '..', '.env.example');
writeFileSync(target, renderEnvExample(SERVICE_CONFIG_CLASSES));
console.log(`wrote ${target}`);
