#!/usr/bin/env node
// Writes docs/openapi.json: the REST API's OpenAPI 3.1 document, generated from the route table
// (the same document `serve` answers at /api/openapi.json). Usage: npm run openapi
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const dist = (path) => join(root, 'dist', 'src-main', path);
const { REST_ROUTES } = await import(dist('serve/rest/route-table.js'));
const { openApiDocument } = await import(dist('serve/rest/openapi.js'));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const file = join(root, 'docs', 'openapi.json');
writeFileSync(file, `${JSON.stringify(openApiDocument(REST_ROUTES, version), null, 2)}\n`);
console.log(`Wrote ${file} (${REST_ROUTES.length} routes).`);
