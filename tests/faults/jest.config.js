module.exports = { ...require('../../jest.preset.js'), forceExit: true };
