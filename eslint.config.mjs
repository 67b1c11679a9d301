// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const nodeBuiltins = [
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'child_process',
  'worker_threads',
  'stream',
  'url',
  'util',
  'events',
  'dns',
  'tls',
  'zlib',
  'process',
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', 'coverage/**', '**/*.mjs', 'jest.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The web UI: plain ES modules run by the browser, with no TypeScript program to type-check against.
    files: ['apps/web/public/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { ...tseslint.configs.disableTypeChecked.languageOptions, sourceType: 'module', globals: globals.browser },
  },
  {
    // Tests read JSON answers of the API loosely; the assertions say what matters.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // libs/db is the only door to the database (issue 10): nothing else imports TypeORM or the
    // pg driver (tests may use pg as a raw-SQL oracle: next block). The workflows block below
    // replaces these options for workflows/ and bans the same modules there.
    files: ['**/*.ts', '**/*.js'],
    ignores: ['libs/db/**', 'test/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['typeorm', 'typeorm/*', '@nestjs/typeorm'],
              message: 'Only libs/db imports TypeORM: use its repositories and UnitOfWork.',
            },
            { group: ['pg', 'pg/*'], message: 'Only libs/db (and tests, as an oracle) talk to PostgreSQL directly.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts', 'test/**/*.js'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['typeorm', 'typeorm/*', '@nestjs/typeorm'],
              message: 'Only libs/db imports TypeORM: use openDatabase(), and pg for raw-SQL oracles.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code must stay deterministic: no Node built-ins, no framework, no database, and
    // activities only as types (proxyActivities).
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .flatMap((m) => [m, `node:${m}`])
            .map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['@nestjs/*'], message: 'Workflows must not import NestJS.' },
            { group: ['typeorm', 'typeorm/*', 'pg', '**/libs/db/**', '**/libs/db'], message: 'Workflows never touch the database.' },
            { group: ['**/activities/**'], allowTypeImports: true, message: 'Import activities as types only (proxyActivities).' },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
              message: 'Workflows use @temporalio/workflow only.',
            },
          ],
        },
      ],
    },
  },
);
