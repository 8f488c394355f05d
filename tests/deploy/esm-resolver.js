// Jest resolves `require` with the "require" condition, and kubernetes-models, its
// @kubernetes-models/* packages and is-cidr (which their validator imports) export only
// "import": for them alone "import" is added, and jest.config.js transforms what it finds.
const ESM_ONLY = ['kubernetes-models', '@kubernetes-models/[^/]+', 'is-cidr', 'cidr-regex'];
const esmOnly = new RegExp(`^(${ESM_ONLY.join('|')})(/|$)`);

module.exports = (path, options) =>
  options.defaultResolver(
    path,
    esmOnly.test(path)
      ? { ...options, conditions: [...(options.conditions ?? []), 'import'] }
      : options,
  );
module.exports.ESM_ONLY = ESM_ONLY;
