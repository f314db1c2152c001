/*
 * ESLint flat config: the Salesforce TypeScript rules and the sf-plugin rules, as the official plugins lint.
 * The newest eslint-config-salesforce-typescript and eslint-plugin-sf-plugin the npm registry here serves are
 * 4.0.1 and 1.20.33; both still ship eslintrc-style configs, which FlatCompat loads into this flat config
 * (ESLint 8.57 reads eslint.config.js natively). When the v6 / v3 lines reach the registry, this file becomes
 * `export { default } from 'eslint-config-salesforce-typescript'` plus the sf-plugin recommended block.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlatCompat } from '@eslint/eslintrc';
import js from '@eslint/js';

const TS = ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts'];
const compat = new FlatCompat({
  baseDirectory: dirname(fileURLToPath(import.meta.url)),
  recommendedConfig: js.configs.recommended,
  allConfig: js.configs.all,
});

export default [
  { ignores: ['lib/**', 'node_modules/**', '.tools/**', 'coverage/**', 'tmp/**', '**/*.js', '**/*.cjs', '**/*.mjs'] },
  // The config's own `src/**` override (stricter rules for shipped code) keeps its files; the rest applies to all.
  ...compat
    .extends('eslint-config-salesforce-typescript')
    .map((config) => (config.files ? config : { ...config, files: TS })),
  {
    files: TS,
    languageOptions: {
      parserOptions: { project: ['./tsconfig.json', './test/tsconfig.json', './scripts/tsconfig.json'] },
    },
    rules: {
      // Plugin-wide header comments are not a convention of this project.
      header: 'off',
    },
  },
  {
    // Test files and scripts: fakes and fixtures read better without return types on every helper, async fakes
    // without awaits, and metadata names (ren_oauth) as object keys.
    files: ['test/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/explicit-function-return-type': 'off',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-expressions': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      camelcase: 'off',
      'no-await-in-loop': 'off',
    },
  },
  // The emulator is an in-memory org: its handlers change the records of the org state they are given, by design.
  { files: ['test/emulator/**/*.ts'], rules: { 'no-param-reassign': ['error', { props: false }] } },
  // Scripts (bench) print their figures.
  { files: ['scripts/**/*.ts'], rules: { 'no-console': 'off' } },
  ...compat.extends('plugin:sf-plugin/recommended').map((config) => ({ ...config, files: ['src/**/*.ts'] })),
];
