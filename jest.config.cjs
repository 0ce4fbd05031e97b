// One Jest run over the whole monorepo: pure unit specs, integration specs against this machine's
// Postgres and NATS, and end-to-end specs through the gateway. swc transpiles (no type-check here:
// `npm run typecheck` does that) and tsconfig paths map `@flowstack/*` to the libs' sources.
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    `<rootDir>/${target.replace(/^\.\//, '')}`,
  ]),
);

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2023',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

// The web app's components (.tsx) under test are rendered to HTML with react-dom/server.
const swcTsx = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } }, target: 'es2023' },
    module: { type: 'commonjs' },
  },
];

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc, '^.+\\.tsx$': swcTsx },
  moduleNameMapper,
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/bench/'],
};

module.exports = {
  // Per-project testTimeout is ignored by Jest 30, so the bound for integration tests lives here.
  // Two minutes: a whole platform (seven processes) starting while CI runs other platforms on two
  // cores can take most of one; every wait inside a test has its own, shorter deadline.
  testTimeout: 120_000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,deploy}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,deploy}/**/*.int-spec.ts', '<rootDir>/{apps,libs,tests}/**/*.e2e-spec.ts'],
    },
  ],
};
