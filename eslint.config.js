// ESLint: typescript-eslint's recommended rules (syntax only, no type information, so it stays fast)
// and the layer rule — a folder of src/ imports only the folders below it (docs/architecture.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The layers, bottom to top. Each folder lists what it must NOT import; everything not listed is below
 * it (or beside it and harmless). cli and main sit on top and may import anything.
 */
const adapters = ['bot', 'sources', 'scheduler', 'max'];
const top = ['sandbox', 'app', 'cli', 'main'];
export const forbidden = {
  domain: ['infra', 'config', 'db', 'outbox', 'kernel', 'reports', ...adapters, ...top],
  infra: ['domain', 'config', 'db', 'outbox', 'kernel', 'reports', ...adapters, ...top],
  config: ['db', 'outbox', 'kernel', 'reports', ...adapters, ...top],
  db: ['config', 'outbox', 'kernel', 'reports', ...adapters, ...top],
  outbox: ['kernel', 'reports', ...adapters, ...top],
  kernel: ['reports', ...adapters, ...top],
  reports: [...adapters, ...top],
  // Adapters do not import each other: what two of them share belongs in src/kernel.
  bot: ['sources', 'scheduler', 'max', ...top],
  sources: ['bot', 'scheduler', 'max', ...top],
  scheduler: ['bot', 'sources', 'max', ...top],
  // The MAX bridge gets the built bot from src/app; it imports no bot internals.
  max: ['bot', 'sources', 'scheduler', ...top],
  sandbox: ['app', 'cli', 'main'],
  app: ['cli', 'main'],
};

// A relative import that climbs out of the folder and into a forbidden one (`../bot/x.js`, `../../main.js`).
const layerRule = (folder, names) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            regex: `^(\\.\\./)+(${names.join('|')})(/|\\.js$)`,
            message: `src/${folder} must not import src/${names.join(', src/')} (layers: docs/architecture.md). Move what both need into a lower layer, or pass it in from src/app.`,
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'tmp/', 'test-results/', 'src/sandbox/page/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        structuredClone: 'readonly',
        queueMicrotask: 'readonly',
        setImmediate: 'readonly',
      },
    },
    rules: {
      // `_name` marks a parameter kept for the signature.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  ...Object.entries(forbidden).map(([folder, names]) => layerRule(folder, names)),
);
