// Test files: fakes and fixtures read better without return types on every helper, async fakes without
// awaits, and metadata names (ren_oauth) as object keys.
module.exports = {
  extends: '../.eslintrc.cjs',
  rules: {
    '@typescript-eslint/explicit-function-return-type': 'off',
    '@typescript-eslint/require-await': 'off',
    '@typescript-eslint/no-unused-expressions': 'off',
    '@typescript-eslint/no-non-null-assertion': 'off',
    camelcase: 'off',
    'no-await-in-loop': 'off',
  },
};
