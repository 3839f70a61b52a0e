# Otklik service image. Multi-stage: the build stage has the toolchain, compiles the native SQLite module
# and the TypeScript (npm ci runs `prepare` → dist/), then drops the development packages; the runtime
# stage gets only Node, dist/, the data files the code reads at run time and the production packages.
# Node 24 is the LTS line maintained longest (to April 2028); the code and CI also run on Node 20 (engines: >=20.11).
ARG NODE_IMAGE=node:24-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# Dependencies first (cached while only sources change); scripts are run after the sources are in.
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
RUN npm rebuild better-sqlite3 && npm run build && npm prune --omit=dev

FROM ${NODE_IMAGE}
ENV NODE_ENV=production \
    DATABASE_PATH=/data/otklik.db \
    BACKUP_DIR=/data/backups \
    CONFIG_PATH=/config/otklik.yaml \
    HTTP_HOST=0.0.0.0 \
    PORT=8080
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
COPY locales ./locales
COPY migrations ./migrations
COPY data/calendar ./data/calendar
RUN mkdir -p /data /config && chown node:node /data && chmod 700 /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The same Node flags as `npm start` (package.json): a young generation of at most 2 × 8 MB (docs/performance.md).
CMD ["node", "--max-semi-space-size=8", "bin/otklik.js", "serve"]
