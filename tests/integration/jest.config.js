// Leaked connections are caught by the stack's own check on close (src/connection-leaks.ts),
// which fails the suite and names them. forceExit is only the backstop that keeps a leak we did
// not foresee (a client-side reconnect timer, say) from hanging CI instead of failing it.
module.exports = { ...require('../../jest.preset.js'), forceExit: true };
