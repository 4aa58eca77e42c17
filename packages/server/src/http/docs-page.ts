const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/**
 * The API's documentation page, rendered on the server from the OpenAPI document (no script, no
 * assets to fetch): every operation with its scope, roles, parameters and body schema.
 */
export function docsPage(doc: Record<string, unknown>): string {
  const info = doc.info as { title: string; version: string; description: string };
  const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>;
  const ops = Object.entries(paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const params =
        (op.parameters as
          | { name: string; in: string; required: boolean; description?: string }[]
          | undefined) ?? [];
      const body = (op.requestBody as { content: Record<string, { schema: unknown }> } | undefined)?.content;
      const schema = body ? Object.values(body)[0].schema : undefined;
      return `<section><h3><code>${method.toUpperCase()} ${esc(path)}</code></h3>
<p>${esc(String(op.summary ?? ''))}</p>
${op['x-scope'] ? `<p>scope <code>${esc(String(op['x-scope']))}</code>${op['x-roles'] ? ` — roles: ${esc((op['x-roles'] as string[]).join(', '))}` : ''}</p>` : ''}
${params.length ? `<ul>${params.map((p) => `<li><code>${esc(p.name)}</code> (${p.in}${p.required ? ', required' : ''})${p.description ? ` ${esc(p.description)}` : ''}</li>`).join('')}</ul>` : ''}
${schema ? `<details><summary>body</summary><pre>${esc(JSON.stringify(schema, null, 2))}</pre></details>` : ''}</section>`;
    }),
  );
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(info.title)}</title>
<style>body{font:15px/1.45 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2em}section{border-top:1px solid #ddd;padding:.4rem 0}pre{background:#f7f7f7;padding:.6rem;overflow:auto}</style>
</head><body><h1>${esc(info.title)} <small>${esc(info.version)}</small></h1>
<p>${esc(info.description)}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code> naming the field.</p>
${ops.join('\n')}</body></html>`;
}
