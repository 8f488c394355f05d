import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import { buildOpenApiDocument } from '../openapi/openapi-document';

/** The reference page loads its assets from this server, never from a CDN. */
const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Switchyard API</title>
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
  <div id="reference"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script>
    window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#reference', deepLinking: true });
  </script>
</body>
</html>`;

/** `/openapi.json` and the `/docs` reference page. */
export function docsRoutes(): Router {
  const router = Router();
  const document = JSON.stringify(buildOpenApiDocument());
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(document);
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  router.use('/docs/assets', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d' }));
  return router;
}
