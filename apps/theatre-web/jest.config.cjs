const { forProject, swcTransform } = require('../../jest.preset.cjs');

// http-proxy-middleware 4 and its httpxy and is-plain-obj ship ESM only (httpxy as .mjs): like
// jose, they go through the SWC transform.
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
