// `npm start`, `npm run dev` and `npm run db:prepare` check the configuration (lib/config.ts)
// before they touch the database; the server checks it again when it starts.
import { ConfigError, parseConfig } from "../lib/config";

try {
  parseConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
