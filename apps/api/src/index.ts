export * from './api-app';
export type { ApiDeps } from './api-deps';
export { buildOpenApiDocument, RouteTableMismatchError } from './openapi/openapi-document';
export { matchOperations, type OperationMatch } from './openapi/match-operations';
export { OPERATION_REGISTRIES, type OpenApiOperation } from './openapi/operations';
export {
  isExcluded,
  openApiPath,
  operationKey,
  REFERENCE_EXCLUSIONS,
  referenceRoutes,
} from './openapi/reference-routes';
export { type RouterRoute, routerRoutes, STATIC_FILE } from './openapi/router-routes';
export { BOARD_PATH, bullBoard } from './board/queue-board';
export { boardQueues } from './board/board-queues';
