import { parseUdi } from '@implant-trace/udi';
const s = process.argv[2] ?? '';
const parse = parseUdi;
for (let i = 0; i < 3_000_000; i++) parse(s);
