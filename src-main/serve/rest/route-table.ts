import { z } from 'zod';
import { openApiDocument } from './openapi.js';
import { json, type RestRoute } from './rest-types.js';
import { brainTumorRoutes } from './routes-brain-tumor.js';
import { doctorPatientRoutes } from './routes-doctor-patient.js';
import { imagingAiRoutes } from './routes-imaging-ai.js';
import { neurosphereRoutes } from './routes-neurosphere.js';
import { xrayRoutes } from './routes-xray.js';
import { hubRoutes } from './routes-hub.js';

export const OPENAPI_PATH = '/api/openapi.json';

const seedRoutes: readonly RestRoute[] = [
  ...neurosphereRoutes,
  ...brainTumorRoutes,
  ...imagingAiRoutes,
  ...doctorPatientRoutes,
  ...xrayRoutes,
];

const openApiRoute: RestRoute = {
  verb: 'GET',
  path: OPENAPI_PATH,
  seed: 'neurosphere',
  summary: 'This OpenAPI 3.1 document',
  uses: ['system.health'],
  access: 'public',
  response: z.object({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }),
  async handle(call) {
    const { version } = await call.call('system.health', {});
    return json(openApiDocument(REST_ROUTES, version));
  },
};

/** Every REST route `serve` answers; the OpenAPI document is generated from this list. */
export const REST_ROUTES: readonly RestRoute[] = [...seedRoutes, openApiRoute, ...hubRoutes];
