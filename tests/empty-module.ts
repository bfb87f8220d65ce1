// Stands in for the `server-only` package in tests (vitest.config.ts aliases it here): the real
// package throws when imported outside a React Server Components bundle, tests are plain Node.
export {};
