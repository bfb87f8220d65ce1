// Runs once when the server starts (scripts/server.mjs awaits it in app.prepare()): a bad
// configuration stops the start there, before the first request, with every problem named.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { config } = await import("./lib/config");
  config();
}
