# One image for both processes: `node dist/apps/api/src/main.js` or `node dist/apps/worker/src/main.js`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/data ./data
COPY --from=build /app/apps/web/public ./apps/web/public
# DATA_DIR in docker-compose.yml: a volume mounted here takes this owner, so the node user can write uploads.
RUN install -d -o node -g node /var/lib/exports-desk
USER node
CMD ["node", "dist/apps/api/src/main.js"]
