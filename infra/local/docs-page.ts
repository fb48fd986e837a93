/**
 * Renders the OpenAPI document as one self-contained HTML page (no scripts, no external CSS:
 * the laptop may be offline). Operations are grouped by tag; schemas are pretty JSON with
 * `$ref`s turned into in-page links.
 */
type Json = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function renderDocsPage(document: unknown): string {
  const doc = asObject(document);
  const info = asObject(doc.info);
  const title = String(info.title ?? 'API');
  const operations = collectOperations(asObject(doc.paths));
  const tags = [...new Set(operations.map((operation) => operation.tag))].sort();
  const schemas = asObject(asObject(doc.components).schemas);

  const toc = tags
    .map((tag) => `<li><a href="#tag-${anchor(tag)}">${escape(tag)}</a> (${operations.filter((operation) => operation.tag === tag).length})</li>`)
    .join('');
  const sections = tags
    .map((tag) => {
      const items = operations.filter((operation) => operation.tag === tag).map(renderOperation).join('\n');
      return `<section id="tag-${anchor(tag)}"><h2>${escape(tag)}</h2>${items}</section>`;
    })
    .join('\n');
  const schemaSection = Object.keys(schemas).length
    ? `<section id="schemas"><h2>Schemas</h2>${Object.entries(schemas)
        .map(([name, schema]) => `<h3 id="schema-${anchor(name)}">${escape(name)}</h3>${pretty(schema)}`)
        .join('\n')}</section>`
    : '';

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)} — API</title>
<style>${STYLE}</style></head>
<body>
<header><h1>${escape(title)} <small>${escape(String(info.version ?? ''))}</small></h1>
<p>${escape(String(info.description ?? ''))}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a>. Get a token: <code>npm run token -- --role sales</code>, then send <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<nav><ul>${toc}${Object.keys(schemas).length ? '<li><a href="#schemas">Schemas</a></li>' : ''}</ul></nav></header>
<main>${sections}${schemaSection}</main>
</body></html>`;
}

interface Operation {
  tag: string;
  method: string;
  path: string;
  body: Json;
}

function collectOperations(paths: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(paths)) {
    const pathItem = asObject(item);
    for (const method of METHODS) {
      if (!(method in pathItem)) continue;
      const body = asObject(pathItem[method]);
      const tags = Array.isArray(body.tags) ? body.tags.map(String) : [];
      operations.push({ tag: tags[0] ?? 'other', method, path, body: { ...body, parameters: [...asArray(pathItem.parameters), ...asArray(body.parameters)] } });
    }
  }
  return operations.sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method as never) - METHODS.indexOf(b.method as never));
}

function renderOperation(operation: Operation): string {
  const { body } = operation;
  const roles = body['x-roles'];
  const rolesText = Array.isArray(roles) ? roles.map(String).join(', ') : roles === undefined ? '' : String(roles);
  const parameters = asArray(body.parameters).map(asObject);
  const parameterRows = parameters
    .map(
      (parameter) =>
        `<tr><td><code>${escape(String(parameter.name ?? ''))}</code></td><td>${escape(String(parameter.in ?? ''))}</td><td>${parameter.required ? 'yes' : ''}</td><td>${escape(String(parameter.description ?? ''))}</td><td>${pretty(parameter.schema)}</td></tr>`,
    )
    .join('');
  const requestBody = asObject(body.requestBody);
  const responses = Object.entries(asObject(body.responses))
    .map(([status, response]) => {
      const value = asObject(response);
      return `<h4>${escape(status)} ${escape(String(value.description ?? ''))}</h4>${renderContent(value.content)}`;
    })
    .join('');
  const id = String(body.operationId ?? `${operation.method}-${operation.path}`);
  return `<article id="op-${anchor(id)}">
<h3><span class="method ${operation.method}">${operation.method.toUpperCase()}</span> <code>${escape(operation.path)}</code> <small>${escape(id)}</small></h3>
<p>${escape(String(body.summary ?? ''))}</p>${body.description ? `<p>${escape(String(body.description))}</p>` : ''}
<p class="roles">Roles: <b>${escape(rolesText || 'public')}</b></p>
${parameterRows ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>description</th><th>schema</th></tr>${parameterRows}</table>` : ''}
${Object.keys(requestBody).length ? `<h4>Request body${requestBody.required ? ' (required)' : ''}</h4>${renderContent(requestBody.content)}` : ''}
<h4>Responses</h4>${responses}
</article>`;
}

function renderContent(content: unknown): string {
  return Object.entries(asObject(content))
    .map(([mediaType, media]) => `<p class="media">${escape(mediaType)}</p>${pretty(asObject(media).schema)}`)
    .join('');
}

function pretty(value: unknown): string {
  if (value === undefined) return '';
  const html = escape(JSON.stringify(value, null, 2));
  // `"$ref": "#/components/schemas/X"` → a link to that schema further down the page.
  return `<pre>${html.replace(/(&quot;#\/components\/schemas\/)([^&]+)(&quot;)/g, (_all, open: string, name: string, close: string) => `${open}<a href="#schema-${anchor(name)}">${name}</a>${close}`)}</pre>`;
}

function asObject(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function anchor(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-');
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0 auto;max-width:70rem;padding:1rem 2rem;color:#1d2330}
h1 small{color:#777;font-weight:normal;font-size:.6em}
h2{border-bottom:2px solid #dde;padding-bottom:.2rem;margin-top:2.5rem;text-transform:capitalize}
article{border:1px solid #e3e6ee;border-radius:6px;padding:.4rem 1rem;margin:1rem 0}
article h3{margin:.4rem 0}article h3 small{color:#888;font-weight:normal;font-size:.75em}
.method{display:inline-block;min-width:4.2em;text-align:center;border-radius:4px;color:#fff;font-size:.8em;padding:.1em .4em}
.get{background:#2f7ed8}.post{background:#3a9d5d}.put{background:#c98a1b}.patch{background:#8a5cc9}.delete{background:#c94242}
pre{background:#f6f8fb;border:1px solid #e3e6ee;padding:.5rem;overflow:auto;font-size:.85em;max-height:30rem}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #e3e6ee;padding:.2rem .4rem;vertical-align:top;text-align:left}
td pre{margin:0;max-height:10rem}.roles{color:#555}.media{color:#777;margin:.2rem 0;font-size:.85em}
`;
