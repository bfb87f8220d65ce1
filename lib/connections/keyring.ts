import { config } from "@/lib/config";
import { keyringFrom, type Keyring } from "./envelope";

/** The process's KEKs (checked by lib/config.ts at start; scripts/server.mjs refuses without one). */
export function connectionKeyring(): Keyring {
  const c = config();
  return keyringFrom({ KEYWARD_CONNECTION_KEK: c.connectionKek, KEYWARD_CONNECTION_KEK_PREVIOUS: c.connectionKekPrevious.join(",") });
}
