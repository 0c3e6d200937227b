# One image per app, built from the repository root:
#   docker build --build-arg APP=device-registry --build-arg PORT=3001 -t implant-trace/device-registry .
#   docker build --build-arg APP=theatre-web --build-arg PORT=3000 -t implant-trace/theatre-web .
# The image holds the app compiled to JavaScript (nx build <app>: tools/build/build-app.ts) and
# the production dependencies only. Its command starts the app; `node dist/migrate.js` is a
# service's migration step, run to completion before the service starts (docker-compose.yml
# does). theatre-web's image holds its page server and the page's production build in
# dist/public (THEATRE_WEB_STATIC_DIR) and has no migration step.
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
ARG APP
WORKDIR /build
# package.json's devEngines asks for this npm; the base image may ship an older one.
RUN npm install --global --no-audit --no-fund npm@11.19.1
COPY package.json package-lock.json ./
# Scripts stay off: the pinned `node` package would fetch a second Node binary; the image's
# own Node 24 builds.
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY tsconfig.base.json tsconfig.json ./
COPY tools/build ./tools/build
COPY libs ./libs
COPY apps/${APP} ./apps/${APP}
RUN test -n "${APP}" || { echo 'docker build needs --build-arg APP=<service>' >&2; exit 1; }
RUN node -r @swc-node/register tools/build/build-app.ts "${APP}"

FROM ${NODE_IMAGE} AS runtime
ARG APP
ARG PORT
RUN test -n "${PORT}" || { echo 'docker build needs --build-arg PORT=<the service port>' >&2; exit 1; }
ENV NODE_ENV=production HOST=0.0.0.0 PORT=${PORT}
WORKDIR /srv/implant-trace
RUN npm install --global --no-audit --no-fund npm@11.19.1
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --ignore-scripts && npm cache clean --force
COPY --from=build /build/dist/apps/${APP} ./dist
USER node
EXPOSE ${PORT}
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
