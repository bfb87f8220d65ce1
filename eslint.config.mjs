// ESLint: Next.js's recommended rules (React, React Hooks, Core Web Vitals) and
// typescript-eslint's recommended ones. `npm test` runs `npm run lint`, which allows no warning.
import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      // A leading underscore marks a value that is deliberately unused (a destructured field left out).
      "@typescript-eslint/no-unused-vars": ["warn", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // This rule only tells that the React Compiler would skip a component using TanStack Table;
      // Keyward does not run the React Compiler.
      "react-hooks/incompatible-library": "off",
    },
  },
  {
    // Playwright's fixtures receive a `use` callback that is not React's `use`.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
  globalIgnores([
    ".next/**",
    ".next-*/**",
    "out/**",
    "build/**",
    "dist/**",
    "next-env.d.ts",
    "lib/generated/**",
    "test-results/**",
    "playwright-report/**",
    "data/**",
  ]),
]);
