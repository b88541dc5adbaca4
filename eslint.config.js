import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { importX } from 'eslint-plugin-import-x'
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript'

/**
 * The rooms of ../shared/STYLE.md and the directions between them: http → services →
 * repositories → db, everything may use domain, domain uses nothing of ours. A relative import
 * that leaves a room the wrong way is an error; `allowTypes` lets a room name a lower room's
 * types (a route's deps name `Database`) without calling into it.
 */
const up = (room) => `^(\\.\\./)+${room}/`
const forbid = (rooms, message, allowTypes = false) => ({
  regex: `${up(`(${rooms.join('|')})`)}`,
  message,
  allowTypeImports: allowTypes,
})
/** Builder calls that write SQL; they belong in api/repositories and api/db. */
const SQL_BUILDERS =
  'CallExpression > MemberExpression.callee > Identifier.property[name=/^(selectFrom|insertInto|updateTable|deleteFrom|mergeInto|replaceInto|selectNoFrom)$/]'
const noSql = [
  'error',
  { selector: SQL_BUILDERS, message: 'Queries live in api/repositories (or api/db).' },
]
const noSqlTag = {
  name: 'kysely',
  importNames: ['sql'],
  message: 'Queries live in api/repositories (or api/db).',
}

export default tseslint.config(
  { ignores: ['node_modules/', 'var/', 'web/dist/', 'dist/', '.cache/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['api/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver()],
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // domain is pure: nothing of ours outside it, no database, HTTP framework or logger.
    files: ['api/domain/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'hono', 'pino', 'node:fs', 'node:fs/promises', 'node:http'],
          patterns: [{ regex: '^\\.\\./', message: 'api/domain imports nothing of ours.' }],
        },
      ],
    },
  },
  {
    files: ['api/domain/*/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['kysely', 'hono', 'pino', 'node:fs', 'node:fs/promises', 'node:http'],
          patterns: [{ regex: '^\\.\\./\\.\\./', message: 'api/domain imports nothing of ours.' }],
        },
      ],
    },
  },
  {
    files: ['api/db/**/*.ts'],
    ignores: ['api/db/migrations/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            forbid(['repositories', 'services', 'http', 'admin'], 'api/db is the bottom room.'),
          ],
        },
      ],
    },
  },
  {
    files: ['api/repositories/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [forbid(['services', 'http', 'admin'], 'Repositories use only db and domain.')],
        },
      ],
    },
  },
  {
    files: ['api/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noSqlTag],
          patterns: [
            forbid(['http', 'admin'], 'Services know no HTTP: return values, throw DomainErrors.'),
          ],
        },
      ],
      'no-restricted-syntax': noSql,
    },
  },
  {
    // Commands are an entry point like server.ts: they open the database, then use services.
    files: ['api/admin/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noSqlTag],
          patterns: [forbid(['repositories'], 'Commands go through a service.', true)],
        },
      ],
      'no-restricted-syntax': noSql,
    },
  },
  {
    files: ['api/http/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noSqlTag],
          patterns: [
            forbid(['repositories', 'admin'], 'Routes go through a service.', true),
            // Recognising an outage is the one thing routes must know of the database (503).
            {
              regex: `${up('db')}(?!availability\\.js$)`,
              message: 'Routes go through a service.',
              allowTypeImports: true,
            },
          ],
        },
      ],
      'no-restricted-syntax': noSql,
    },
  },
  {
    // The web app talks to the API over HTTP; it may name the API's types.
    files: ['web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+api/',
              message: 'web imports at most types from api.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  {
    // Migrations are frozen in time and typed Kysely<any>, as Kysely recommends.
    files: ['api/db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Tests read response bodies as parsed JSON and assert on them; typing every body adds nothing.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    // The build and start scripts run with plain Node (no TypeScript loader).
    files: ['scripts/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
)
