// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import boundaries from 'eslint-plugin-boundaries';

// The layers, lowest first. A layer may import its own folder and the layers below it, never one
// above: domain (pure rules) < lib (small shared helpers) < db (schema and queries) < services
// (one transaction per event) < mail, bot (the two doors; bot may call mail's quarantine link) <
// cli < main.ts, the composition root (config.ts, its environment reader config-env.ts and main.ts are
// single files outside the table).
const LAYERS = [
  { type: 'domain', pattern: 'domain/**', allow: [] },
  { type: 'lib', pattern: 'lib/**', allow: ['domain'] },
  { type: 'db', pattern: 'db/**', allow: ['domain', 'lib'] },
  { type: 'services', pattern: 'services/**', allow: ['domain', 'lib', 'db'] },
  { type: 'mail', pattern: 'mail/**', allow: ['domain', 'lib', 'db', 'services'] },
  { type: 'bot', pattern: 'bot/**', allow: ['domain', 'lib', 'db', 'services', 'mail'] },
  // The overview tab is a second Teams door beside the bot: the same level, neither imports the other.
  { type: 'tab', pattern: 'tab/**', allow: ['domain', 'lib', 'db', 'services', 'mail'] },
  { type: 'cli', pattern: 'cli/**', allow: ['domain', 'lib', 'db', 'services', 'mail', 'bot', 'tab'] },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', 'db/migrations/**', 'dist/**', 'bin/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An un-awaited promise is the classic bot and IMAP bug (STYLE.md §10).
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { boundaries },
    settings: {
      'boundaries/elements': LAYERS.map(({ type, pattern }) => ({ type, pattern, partialMatch: false })),
      'import/resolver': { node: { extensions: ['.ts', '.js'] } },
    },
    rules: {
      'boundaries/dependencies': ['error', {
        default: 'allow',
        policies: LAYERS.map(({ type, allow }) => ({
          from: { element: { type } },
          disallow: { to: { element: { types: { noneOf: [type, ...allow] } } } },
        })),
      }],
    },
  },
  {
    // domain/ is the functional core: no I/O, no clock, no imports from the shell (STYLE.md §1).
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'domain/ is pure: no Node built-ins.' },
          { regex: '^(fs|path|os|crypto|http|https|net|tls|child_process|stream|url|util|events|worker_threads|zlib|dns|timers)(/.*)?$', message: 'domain/ is pure: no Node built-ins.' },
          { regex: '^(\\.\\./)+(db|mail|bot|cli|config|config-env|main)(/.*)?(\\.ts)?$', message: 'domain/ must not import the shell (db, mail, bot, cli, config).' },
          { regex: '^(drizzle-orm|postgres|@electric-sql/pglite|imapflow|nodemailer|mailparser|botbuilder|@microsoft/teams-ai|express|pino|unpdf|mammoth|pdfkit)(/.*)?$', message: 'domain/ must not import drivers, mail, bot or I/O libraries.' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ has no clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain/ has no clock: take `now` as a parameter.' },
        { selector: "MemberExpression[object.name='Math'][property.name='random']", message: 'domain/ is deterministic: take random values as parameters.' },
        { selector: "MemberExpression[object.name='performance']", message: 'domain/ has no clock: take `now` as a parameter.' },
      ],
      'no-restricted-globals': ['error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'queueMicrotask'].map((name) => ({ name, message: 'domain/ has no timers: deadlines are data, the shell runs them.' })),
        { name: 'process', message: 'domain/ reads no environment: settings come in as parameters.' },
        { name: 'crypto', message: 'domain/ is deterministic: no random numbers or keys.' },
        { name: 'fetch', message: 'domain/ does no I/O.' },
      ],
    },
  },
  {
    // Queries live in db/ as functions fn(db, params): the layers above call them and never build SQL.
    files: ['services/**/*.ts', 'mail/**/*.ts', 'bot/**/*.ts', 'tab/**/*.ts', 'cli/**/*.ts', 'main.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '^drizzle-orm(/.*)?$', message: 'Queries belong in db/: add a function there.' },
          { regex: '^(\\.\\./)+db/schema(/.*)?$', message: 'Tables are db/’s own: add a query function (or export a row type) there.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
