// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    // domain/ is the functional core: no I/O, no clock, no imports from the shell (STYLE.md §1).
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['node:*'], message: 'domain/ is pure: no Node built-ins.' },
          { regex: '^(fs|path|os|crypto|http|https|net|tls|child_process|stream|url|util|events|worker_threads|zlib|dns|timers)(/.*)?$', message: 'domain/ is pure: no Node built-ins.' },
          { regex: '^(\\.\\./)+(db|mail|bot|cli|config|main)(/.*)?(\\.ts)?$', message: 'domain/ must not import the shell (db, mail, bot, cli, config).' },
          { regex: '^(drizzle-orm|postgres|@electric-sql/pglite|imapflow|nodemailer|mailparser|botbuilder|@microsoft/teams-ai|express|pino|unpdf|mammoth|pdfkit)(/.*)?$', message: 'domain/ must not import drivers, mail, bot or I/O libraries.' },
        ],
      }],
      'no-restricted-syntax': ['error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'domain/ has no clock: take `now` as a parameter.' },
        { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: 'domain/ has no clock: take `now` as a parameter.' },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
