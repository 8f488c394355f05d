module.exports = {
  ...require('../../jest.preset.js'),
  // dist/ holds the built package (its own package.json of the same name): not a module of ours.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
};
