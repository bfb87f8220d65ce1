import { z } from "zod";

// In the browser, zod 4 probes `new Function("")` once to decide whether to compile its object
// parsers. The page's CSP (no 'unsafe-eval') refuses that probe and reports a violation on every
// page with a form; jitless mode skips the probe. Imported by every schema module that the
// browser loads. The server keeps the compiled parsers.
if (typeof window !== "undefined") z.config({ jitless: true });
