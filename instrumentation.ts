// Runs once when the server starts, before it listens (scripts/server.mjs, `npm start`,
// `npm run serve`): a bad configuration stops the process here with every problem named.
// Next.js would log an error thrown from register() and serve anyway, so this exits itself.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config, ConfigError } = await import("./lib/config");
  try {
    config();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  // PostgreSQL: this instance hears other instances' key changes from the start, not only once
  // it has verified a key. Not awaited: an unreachable database is retried in the background.
  const { ensureKeyChangeListener } = await import("./lib/db/key-change-bus");
  void ensureKeyChangeListener();
}
