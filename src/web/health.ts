// Liveness and readiness for a load balancer or Kubernetes: `/livez` says the process serves;
// `/readyz` that the store and Temporal answer and the process is not draining; `/metrics` for
// Prometheus. Nothing about cases, and no sign-in: keep them on the cluster's own network.
import { ping } from '../store/db.js';
import type { Routes, WebDeps } from './app.js';
import { registry } from './metrics.js';

/** Set when the process is stopping: the load balancer takes it out before it closes. */
export const draining = { value: false };

const within = <T>(ms: number, work: Promise<T>) =>
  Promise.race([work, new Promise<never>((_resolve, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

export function healthView(routes: Routes, deps: WebDeps): void {
  routes.add({
    method: 'GET', url: '/livez', access: 'public',
    handler: async (_request, reply) => reply.type('text/plain').send('ok'),
  });
  routes.add({
    method: 'GET', url: '/readyz', access: 'public',
    handler: async (_request, reply) => {
      const [store, temporal] = await Promise.all([
        within(2000, ping(deps.db)).then(() => true, () => false),
        within(2000, deps.client.workflowService.getSystemInfo({})).then(() => true, () => false),
      ]);
      const ready = store && temporal && !draining.value;
      return reply.code(ready ? 200 : 503).send({ ready, store, temporal, draining: draining.value });
    },
  });
  routes.add({
    method: 'GET', url: '/metrics', access: 'public',
    handler: async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
  });
}
