import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { renderEnvExample } from '@implant-trace/platform-config';

import { serviceConfigClasses, workspaceRoot } from './service-config-classes';

const target = join(workspaceRoot, '.env.example');
writeFileSync(target, renderEnvExample(serviceConfigClasses()));
console.log(`wrote ${target}`);
