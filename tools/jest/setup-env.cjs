// Every test process runs on the pinned runtime; a run on another Node is a set-up error.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  throw new Error(`Tests must run on Node 24 (the pinned runtime), not ${process.version}`);
}
