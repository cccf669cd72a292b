import type { z } from 'zod';
import {
  hubReceiveOutputSchema,
  type hubReceiveInputSchema,
} from '../../../src-shared/contract/sync.js';
import { json, type RestRoute } from './rest-types.js';

/**
 * Record sync between Neurosphere servers (docs/hub-sync.md): a workstation posts batches of
 * record versions and audit rows to its clinic hub with a token of a `workstation` account.
 */
export const hubRoutes: readonly RestRoute[] = [
  {
    verb: 'POST',
    path: '/api/hub/records',
    seed: 'neurosphere',
    summary:
      'A workstation sends record versions and audit rows to this hub; each record is answered applied, duplicate or conflict',
    uses: ['sync.hub.receive'],
    access: 'bearer',
    body: 'json',
    response: hubReceiveOutputSchema,
    async handle(call) {
      // The contract validates the body (hubReceiveInputSchema) and checks sync.receive.
      const answer = await call.call(
        'sync.hub.receive',
        call.body as z.input<typeof hubReceiveInputSchema>,
      );
      return json(answer);
    },
  },
];
