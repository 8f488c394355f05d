import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';

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

/**
 * `/openapi.json` and the `/docs` reference page. The document lists the app's routes, so the
 * app passes it in once every route is mounted (`document` is not called before the first request).
 */
export function docsRoutes(document: () => string): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(document());
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(PAGE);
  });
  // No redirect of a directory's path to its slash form: serve-static's page for that quotes the
  // path twice; such a path (there are no directories to list) gets the JSON 404.
  router.use(
    '/docs/assets',
    express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d', redirect: false }),
  );
  return router;
}
