import { z } from 'zod';
import type { RestRoute, SeedName } from './rest-types.js';

const SEED_TITLES: Readonly<Record<SeedName, string>> = {
  neurosphere: 'Neurosphere seed (Neurosphere Backend API Requirements)',
  'brain-tumor-detection': 'Brain Tumor Detection seed (Flask back end)',
  'medical-imaging-ai': 'Medical Imaging AI seed (/api/v1)',
  'doctor-patient': 'Doctor/patient seed (tokens and tasks)',
};

/** Each seed's error body, as error-formats.ts writes it. */
const ERROR_SCHEMAS: Readonly<Record<SeedName, z.ZodType>> = {
  neurosphere: z.object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
  'brain-tumor-detection': z.object({
    success: z.literal(false),
    error: z.string(),
    code: z.string(),
    details: z.string().optional(),
  }),
  'medical-imaging-ai': z.object({
    error: z.string(),
    message: z.string(),
    details: z.record(z.string(), z.unknown()),
    timestamp: z.string(),
  }),
  'doctor-patient': z.object({
    success: z.literal(false),
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  }),
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // OpenAPI 3.1 schemas are JSON Schema 2020-12, what zod writes; the dialect is the document's.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

function operationId(route: RestRoute): string {
  const words = `${route.verb.toLowerCase()} ${route.path.replace(/[{}]/g, '')}`
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  return words.map((word, i) => (i === 0 ? word : word[0]?.toUpperCase() + word.slice(1))).join('');
}

function requestBodyOf(route: RestRoute): Record<string, unknown> | undefined {
  switch (route.body) {
    case undefined:
      return undefined;
    case 'json':
      return { required: true, content: { 'application/json': { schema: { type: 'object' } } } };
    case 'form':
      return {
        required: true,
        content: {
          'application/x-www-form-urlencoded': { schema: { type: 'object' } },
          'multipart/form-data': { schema: { type: 'object' } },
          'application/json': { schema: { type: 'object' } },
        },
      };
    case 'multipart':
      return {
        required: true,
        content: {
          'multipart/form-data': {
            schema: {
              type: 'object',
              properties: {
                file: { type: 'string', contentMediaType: 'application/octet-stream' },
              },
            },
          },
        },
      };
  }
}

function responsesOf(route: RestRoute): Record<string, unknown> {
  const content =
    'file' in route.response
      ? {
          [route.response.file]: {
            schema: { type: 'string', contentMediaType: route.response.file },
          },
        }
      : { 'application/json': { schema: jsonSchema(route.response) } };
  const error = {
    content: {
      'application/json': { schema: { $ref: `#/components/schemas/error-${route.seed}` } },
    },
  };
  return {
    [String(route.successStatus ?? 200)]: { description: 'Success', content },
    '400': { description: 'Malformed request', ...error },
    ...(route.access === 'bearer' && {
      '401': { description: 'No valid bearer token', ...error },
      '403': { description: "The caller's role may not do this", ...error },
    }),
    '404': { description: 'Not found', ...error },
    ...(route.conflict !== undefined && { '409': { description: route.conflict, ...error } }),
    ...(route.body !== undefined && {
      '413': { description: 'Body too large', ...error },
      '415': { description: 'Wrong Content-Type', ...error },
    }),
    ...((route.seed === 'medical-imaging-ai' || route.seed === 'doctor-patient') && {
      '422': { description: 'Validation error', ...error },
    }),
    '429': {
      description: 'Rate limit exceeded',
      headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
      ...error,
    },
  };
}

/** The OpenAPI 3.1 document of the REST API, generated from the route table: every route. */
export function openApiDocument(
  routes: readonly RestRoute[],
  version: string,
): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const item = (paths[route.path] ??= {});
    item[route.verb.toLowerCase()] = {
      operationId: operationId(route),
      summary: route.summary,
      description:
        route.uses.length === 0
          ? 'Adapts no contract method.'
          : `Adapts the contract's ${route.uses.join(', ')} (same validation, permissions and audit).`,
      tags: [route.seed],
      security: route.access === 'bearer' ? [{ bearer: [] }] : [],
      parameters: (route.params ?? []).map((param) => ({
        name: param.name,
        in: param.in,
        required: param.in === 'path' ? true : param.required === true,
        description: param.description,
        schema: { type: param.type },
      })),
      ...(requestBodyOf(route) !== undefined && { requestBody: requestBodyOf(route) }),
      responses: responsesOf(route),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Neurosphere REST API',
      version,
      description:
        "The seed documents' HTTP APIs over Neurosphere's contract. Every route calls the same contract methods and streams as the app (docs/rest-api.md). Per-user rate limit (default 100 requests a minute, 429 with Retry-After).",
    },
    servers: [{ url: '/' }],
    tags: (Object.keys(SEED_TITLES) as SeedName[]).map((name) => ({
      name,
      description: SEED_TITLES[name],
    })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: Object.fromEntries(
        (Object.keys(ERROR_SCHEMAS) as SeedName[]).map((seed) => [
          `error-${seed}`,
          jsonSchema(ERROR_SCHEMAS[seed]),
        ]),
      ),
    },
  };
}
