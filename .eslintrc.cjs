module.exports = {
  extends: ['eslint-config-salesforce-typescript'],
  parserOptions: { project: ['./tsconfig.json', './test/tsconfig.json'] },
  rules: {
    // Plugin-wide header comments are not a convention of this project.
    header: 'off',
  },
};
