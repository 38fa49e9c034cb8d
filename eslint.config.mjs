import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// Layering (docs/architecture.md): domain is pure; lib does not reach into the app, components or server.
const domainRules = {
  files: ['lib/domain/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['@/lib/*', '!@/lib/domain', '@/app/*', '@/components/*', '@/server/*'],
            message: 'lib/domain is pure: import only other domain code.',
          },
          {
            group: ['next', 'next/*', 'drizzle-orm', 'drizzle-orm/*', 'socket.io', 'node:*', 'postgres'],
            message: 'lib/domain does no I/O.',
          },
        ],
      },
    ],
    'no-restricted-globals': ['error', 'process', 'fetch'],
    // Reading the clock is I/O: lib/domain takes "now" as a parameter. Dates built from values are fine.
    'no-restricted-syntax': [
      'error',
      {
        selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
        message: 'lib/domain takes time as a parameter.',
      },
      {
        selector: "NewExpression[callee.name='Date'][arguments.length=0]",
        message: 'lib/domain takes time as a parameter.',
      },
    ],
  },
};

const libRules = {
  files: ['lib/**/*.ts', 'lib/**/*.tsx'],
  ignores: ['lib/domain/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['@/app/*', '@/components/*', '@/server/*'],
            message: 'lib must not depend on app, components or server.',
          },
        ],
      },
    ],
  },
};

const config = [
  {
    ignores: [
      'node_modules/**',
      '.next/**',
      '.data/**',
      'drizzle/**',
      'test-results/**',
      'playwright-report/**',
      'next-env.d.ts',
    ],
  },
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  domainRules,
  libRules,
];
export default config;
