// Zod 4 probes `new Function('')` when it builds its first object schema, to decide whether it
// may compile fast parsers. Under our CSP (no 'unsafe-eval') the probe is refused and logged
// as a CSP violation even though Zod catches it. `jitless` skips the probe. This module must be
// evaluated before anything that builds schemas (the contract), hence main.tsx imports it first.
import { config } from 'zod';

config({ jitless: true });
