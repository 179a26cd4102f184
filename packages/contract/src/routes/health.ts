import { Health } from '../health.js';
import { httpRoute } from '../route.js';

export const healthRoutes = {
  get: httpRoute({
    method: 'GET',
    path: '/api/health',
    tags: ['system'],
    summary: 'Server, database and engine status; 200 whenever the server is up',
    permission: 'public',
    beforeSetup: true,
    responses: { 200: Health },
  }),
};
