import { it } from "vitest";
import { mutableState, seededDb } from "./db";
for (let i = 0; i < 6; i++) it("probe " + i, async () => {
  let t0 = Date.now(); const out: string[] = []; const lap = (l: string) => { out.push(`${l}=${Date.now() - t0}`); t0 = Date.now(); };
  const t = await seededDb("probe"); lap("seededDb");
  await mutableState(t); lap("mutableState");
  await t.db.apiKey.count(); lap("count");
  await t.close(); lap("close");
  process.stderr.write("TIMING " + out.join(" ") + "\n");
});
