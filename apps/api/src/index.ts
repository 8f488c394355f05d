export * from './api-app';
export type { ApiDeps } from './api-deps';
export { buildOpenApiDocument } from './openapi/openapi-document';
export { BOARD_PATH, bullBoard } from './board/queue-board';
export { boardQueues } from './board/board-queues';
export { type RouterRoute, routerRoutes, STATIC_FILE } from './openapi/router-routes';
