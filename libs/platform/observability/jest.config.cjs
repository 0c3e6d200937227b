const config = require('../../../jest.preset.cjs').forProject(__dirname);

// jose 6 ships ESM only and Jest's CommonJS runtime cannot require() it untransformed, so it
// alone of node_modules goes through the SWC transform (Node itself loads it natively).
for (const tier of config.projects) tier.transformIgnorePatterns = ['/node_modules/(?!jose/)'];

module.exports = config;
