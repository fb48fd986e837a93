// Writes the OpenAPI document generated from the manifest to openapi.json (or the path given).
import { writeFileSync } from 'node:fs';
import { allRoutes } from '../infra/manifest';
import { buildOpenApiDocument } from '../lib/platform/openapi';

const target = process.argv[2] ?? 'openapi.json';
const document = buildOpenApiDocument(allRoutes());
writeFileSync(target, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${target}: ${Object.keys(document.paths as object).length} paths`);
