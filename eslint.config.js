import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = { group: ['node:*', ...builtinModules], message: 'Only the engine and the Electron shell may use Node built-ins.' };
const electronShell = { group: ['**/electron/**', 'electron'], message: 'Talk to the engine through the shared contract, not by importing it.' };

/**
 * The engine's steps from bottom to top (README, "For developers"). Modules on one line are one level; the
 * engine's loose files sit with the level they serve. testing/ is for tests only.
 */
const ENGINE_LAYERS = [
  ['domain', 'errors.ts', 'version.ts', 'event-loop.ts'],
  ['db', 'settings.ts', 'audit'],
  ['ingest'],
  ['snapshots'],
  ['features'],
  ['models'],
  ['backtest'],
  ['registry'],
  ['training'],
  ['forecast'],
  ['monitor'],
  ['drift'],
  ['alerts'],
  ['reports'],
  ['host', 'workspace.ts', 'demo.ts'],
  ['cli'],
  ['testing'],
];
/** The CLI parses, calls the contract and formats: of the engine it may reach only its host and where the database lives. */
const CLI_MAY_IMPORT = ['host', 'db'];
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The engine's import rules; `above`: the modules a file of `module` may not import, being above it. */
function engineImports(above, module) {
  const patterns = [{ group: ['**/renderer/**'], message: 'The engine does not know about the UI.' }];
  if (above.length > 0) {
    patterns.push({
      // A loose file imports its neighbours' folders as './x'; a file in a folder, as '../x' (or '../../x').
      regex: `^${module.endsWith('.ts') ? '\\./' : '(\\.\\./)+'}(${above.map(escape).join('|')})(/|$)`,
      message: module === 'cli'
        ? 'The CLI parses, calls the contract through host/ and formats: it imports no step of the pipeline (README, "For developers").'
        : `${module} is below ${above.join(', ')}: a step of the engine imports only the steps below it (README, "For developers").`,
    });
  }
  return {
    paths: [{ name: 'electron', message: 'The engine runs in plain Node (CLI, tests, browser mode, worker): never import electron.' }],
    patterns,
  };
}

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
    rules: { 'no-restricted-imports': ['error', engineImports([])] },
  },
  // One rule per step of the pipeline: a step imports only the steps below it (tests may set a scene from any step).
  ...ENGINE_LAYERS.flatMap((layer, level) =>
    layer.map((module) => ({
      files: module.endsWith('.ts') ? [`electron/engine/${module}`] : [`electron/engine/${module}/**`],
      ignores: ['**/*.test.ts'],
      rules: {
        'no-restricted-imports': ['error', engineImports(
          (module === 'cli' ? ENGINE_LAYERS.flat().filter((m) => m !== 'cli' && !CLI_MAY_IMPORT.includes(m)) : ENGINE_LAYERS.slice(level + 1).flat()).map((m) => m.replace(/\.ts$/, '')),
          module,
        )],
      },
    })),
  ),
);
