const { forProject, swcTransform } = require('../jest.preset.cjs');

// tools/deploy starts theatre-web's page server to ask it its probe path, and
// http-proxy-middleware 4 with its httpxy and is-plain-obj ship ESM only (httpxy as .mjs): like
// jose, they go through the SWC transform (as in apps/theatre-web/jest.config.cjs).
const config = forProject(__dirname);
module.exports = {
  projects: config.projects.map((project) => ({
    ...project,
    transform: { '^.+\\.(t|j|mj)s$': swcTransform },
    transformIgnorePatterns: [
      '/node_modules/(?!(jose|http-proxy-middleware|httpxy|is-plain-obj)/)',
    ],
  })),
};
