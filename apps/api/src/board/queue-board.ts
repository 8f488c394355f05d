import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { UIConfig } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import type { OperatorRole } from '@switchyard/tenancy';
import express, { type Express } from 'express';
import type { Redis } from 'ioredis';
import { ANY_OPERATOR } from '../http/authenticate';
import { requireRedis } from '../http/redis-guard';
import { refuseUnsafeWrites, refuseViewerWrites } from './board-guards';
import type { BoardQueue } from './board-queues';
import { boardItemData } from './board-item-data';

/** Where the board lives; its page, static files and `/api` are all under it. */
export const BOARD_PATH = '/admin/queues';

const UI: UIConfig = { boardTitle: 'Switchyard', hideDocsLink: true };

/**
 * The board of a role. bull-board's read-only mode is a switch per queue adapter, so the viewer
 * gets a board of its own, labelled so a person sees why there are no buttons.
 */
function boardOptions(role: OperatorRole): { readOnlyMode: boolean; uiConfig: UIConfig } {
  switch (role) {
    case 'admin':
      return { readOnlyMode: false, uiConfig: UI };
    case 'viewer':
      return {
        readOnlyMode: true,
        uiConfig: { ...UI, environment: { label: 'read-only', color: '#4c566a' } },
      };
  }
}

/**
 * Bull Board for operators, to mount at {@link BOARD_PATH} behind operator authentication (which
 * sets `res.locals.operatorRole`): one board per role on the same base path, each answering only
 * its own role's requests.
 */
export function queueBoard(queues: readonly BoardQueue[], redis: Redis): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(refuseViewerWrites, refuseUnsafeWrites(queues));
  app.use('/api', requireRedis(redis));
  for (const role of ANY_OPERATOR) app.use(forRole(role, bullBoard(queues, role)));
  return app;
}

/** bull-board itself for one role, with no guard of ours in front (tests use it so). */
export function bullBoard(queues: readonly BoardQueue[], role: OperatorRole): Express {
  const { readOnlyMode, uiConfig } = boardOptions(role);
  const serverAdapter = new ExpressAdapter().setBasePath(BOARD_PATH);
  createBullBoard({
    queues: queues.map(({ queue, displayName, description }) => {
      const adapter = new BullMQAdapter(queue, { readOnlyMode, displayName, description });
      // Item data and results are shown with web URLs redacted (webhook targets carry secrets)
      // and job text reduced to its size (see boardItemData).
      adapter.setFormatter('data', boardItemData);
      adapter.setFormatter('returnValue', boardItemData);
      return adapter;
    }),
    serverAdapter,
    options: { uiConfig },
  });
  const board = serverAdapter.getRouter() as Express;
  board.disable('x-powered-by');
  return board;
}

/**
 * The board for one role, passing other roles' requests on (`next('router')` leaves this app),
 * so both boards can be mounted as express apps, each with the settings of the app above it.
 */
function forRole(role: OperatorRole, board: Express): Express {
  const host = express();
  host.disable('x-powered-by');
  host.use((_req, res, next) => (res.locals.operatorRole === role ? next() : next('router')));
  host.use(board);
  return host;
}
