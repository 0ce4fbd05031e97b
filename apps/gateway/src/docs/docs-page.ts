/**
 * `GET /api/docs`: a self-contained page (no CDN, nothing external) that fetches the OpenAPI
 * document and lists every operation with its parameters, bodies and answers. Text reaches the
 * page through `textContent` only, so nothing in the document is ever run as markup.
 */
export const DOCS_PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Flowstack API</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }
details { border: 1px solid #ddd; border-radius: 6px; margin: .5rem 0; padding: .4rem .8rem; }
summary { cursor: pointer; }
.m { display: inline-block; min-width: 4.5rem; font-weight: 600; text-transform: uppercase; }
code, pre { font: 13px ui-monospace, monospace; }
pre { background: #f6f6f6; padding: .6rem; overflow: auto; max-height: 24rem; }
.lock { color: #a60; }
</style>
</head>
<body>
<h1 id="title">Flowstack API</h1>
<p id="description"></p>
<p>Raw document: <a href="/api/docs/openapi.json">/api/docs/openapi.json</a> (OpenAPI 3.1).</p>
<div id="routes">Loading…</div>
<script>
(async function () {
  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  const block = (title, value) => { const d = el('div'); d.append(el('h4', title), el('pre', JSON.stringify(value, null, 2))); return d; };
  const routes = document.getElementById('routes');
  try {
    const doc = await (await fetch('/api/docs/openapi.json')).json();
    document.getElementById('title').textContent = doc.info.title + ' ' + doc.info.version;
    document.getElementById('description').textContent = doc.info.description || '';
    routes.textContent = '';
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const d = el('details');
        const s = el('summary');
        s.append(el('span', method, 'm'), el('code', path), el('span', ' ' + (op.summary || '')));
        if (op.security && op.security.length) s.append(el('span', ' (bearer token)', 'lock'));
        d.append(s);
        if (op.parameters) d.append(block('Parameters', op.parameters));
        if (op.requestBody) d.append(block('Request body', op.requestBody.content));
        for (const [status, r] of Object.entries(op.responses)) d.append(block(status + ' ' + r.description, r.content || {}));
        routes.append(d);
      }
    }
    routes.append(block('Components', doc.components));
  } catch (e) {
    routes.textContent = 'Could not load the document: ' + e;
  }
})();
</script>
</body>
</html>
`;
