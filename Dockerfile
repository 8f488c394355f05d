# syntax=docker/dockerfile:1
# One image for every Switchyard process, chosen by its command:
#   docker run switchyard api | worker | webhook-dispatcher | simulator [flags]
# It runs the JavaScript of `npm run build`, never tsx (docs/OPERATIONS.md).
ARG NODE_IMAGE=node:20-bookworm-slim

# 1. All dependencies and the sources; `npm run build` bundles each app into dist/<app>/main.js.
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY . .
# The workspaces' manifests and the lockfile, for the production install below.
RUN mkdir /manifests && cp package.json package-lock.json /manifests/ \
 && find apps packages tests bench -name package.json -not -path '*/node_modules/*' \
      -exec cp --parents {} /manifests/ \;
RUN --mount=type=cache,target=/root/.npm \
    npm install --no-audit --no-fund --ignore-scripts && npm run build

# 2. Production dependencies of the four apps, pinned by the lockfile. The bundles inline our
#    workspace packages, so they require only these npm packages: no tsx, no build or test tools.
FROM ${NODE_IMAGE} AS deps
WORKDIR /src
COPY --from=build /manifests/ ./
RUN --mount=type=cache,target=/root/.npm \
    npm install --omit=dev --no-audit --no-fund --ignore-scripts \
      -w @switchyard/api -w @switchyard/worker \
      -w @switchyard/webhook-dispatcher -w @switchyard/simulator \
 && rm -rf node_modules/@switchyard

# 3. Runtime: node, tini, the bundles and their dependencies; nothing writable, not root.
FROM ${NODE_IMAGE} AS runtime
# tini is PID 1: it forwards SIGTERM to node (which drains, then exits) and reaps zombies.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=deps /src/node_modules ./node_modules
COPY --from=build /src/dist ./dist
COPY deploy/docker/entrypoint.sh deploy/docker/healthcheck.js ./deploy/docker/
# The base image's `node` user (uid 1000); Kubernetes manifests pin runAsUser: 1000 to match.
USER node
# API (PORT), worker and dispatcher metrics (METRICS_PORT), simulator (--port).
EXPOSE 8080 9464 8090
ENTRYPOINT ["/usr/bin/tini", "--", "/app/deploy/docker/entrypoint.sh"]
CMD ["api"]
