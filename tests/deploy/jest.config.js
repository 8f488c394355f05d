const preset = require('../../jest.preset.js');
const { ESM_ONLY } = require('./esm-resolver.js');

/**
 * Some test dependencies ship ES modules only: esm-resolver.js resolves them through their
 * "import" condition and @swc/jest turns them into CommonJS like our own TypeScript.
 */
module.exports = {
  ...preset,
  resolver: '<rootDir>/esm-resolver.js',
  transform: {
    ...preset.transform,
    '^.+\\.js$': ['@swc/jest', { module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
};
