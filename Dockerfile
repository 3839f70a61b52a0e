# Otklik service image. Multi-stage: the native SQLite module is built with the toolchain in the
# first stage; the runtime stage has only Node, the app and its production dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev
COPY . .

FROM node:20-bookworm-slim
ENV NODE_ENV=production DATABASE_PATH=/data/otklik.db CONFIG_PATH=/config/otklik.yaml
WORKDIR /app
COPY --from=build /app /app
RUN mkdir -p /data /config && chown -R node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
CMD ["node", "bin/otklik.js", "serve"]
