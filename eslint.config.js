import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = { group: ['node:*', ...builtinModules], message: 'Only the engine and the Electron shell may use Node built-ins.' };
const electronShell = { group: ['**/electron/**', 'electron'], message: 'Talk to the engine through the shared contract, not by importing it.' };

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [nodeBuiltins, electronShell] }] },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [nodeBuiltins, electronShell, { group: ['**/renderer/**'], message: 'shared/ is the contract; it depends on nothing of ours.' }],
      }],
    },
  },
  {
    files: ['electron/preload.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [nodeBuiltins, { group: ['**/engine/**', '**/shell/**', '**/renderer/**'], message: 'The preload only forwards calls: electron and the shared contract, nothing else.' }],
      }],
    },
  },
  {
    files: ['electron/engine/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'electron', message: 'The engine runs in plain Node (CLI, tests, browser mode, worker): never import electron.' }],
        patterns: [{ group: ['**/renderer/**'], message: 'The engine does not know about the UI.' }],
      }],
    },
  },
);
