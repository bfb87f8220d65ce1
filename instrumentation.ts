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
}
