// Prometheus metrics of a web process (prom-client): the process's own (memory, event-loop lag) and
// every answer by route pattern, method and status, with its time. Route patterns only, never an
// address: addresses carry references.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'arshjul_web_' });

const answers = new Histogram({
  name: 'arshjul_web_request_seconds',
  help: 'Time to answer a request, by route pattern, method and status',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

export function recordAnswer(request: FastifyRequest, reply: FastifyReply): void {
  answers.observe({ route: request.routeOptions.url ?? 'okänd', method: request.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
}
