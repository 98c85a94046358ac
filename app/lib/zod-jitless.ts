import { z } from "zod";

/*
 * zod compiles object parsers with `new Function` when the page allows it, and probes for that
 * with a `new Function("")` whose throw it catches. Our CSP forbids eval, so the probe was a
 * `script-src eval` violation on every page. Jitless mode skips both the probe and the
 * compiler; zod then parses with its interpreter, which is what ran under our CSP anyway.
 * Imported first by entry.client.tsx, before any schema parses.
 */
z.config({ jitless: true });
