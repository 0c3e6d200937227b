export const SUPPORTED_NODE_MAJOR = 24;

/**
 * Refuses to run on anything but the pinned Node.js LTS line: clinical software does not
 * ship on an unsupported runtime, and a service started with the machine's own Node would
 * otherwise run untested.
 */
export function assertSupportedRuntime(version: string = process.versions.node): void {
  const major = Number(version.split('.')[0]);
  if (major !== SUPPORTED_NODE_MAJOR) {
    throw new Error(
      `implant-trace runs on Node.js ${SUPPORTED_NODE_MAJOR} LTS; this process is Node.js ${version}. ` +
        'Start it through npm scripts (they use node_modules/.bin/node) or install Node 24.',
    );
  }
}
