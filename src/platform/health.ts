// A worker's liveness and readiness for Kubernetes or a process supervisor, on a port of its own:
// `/livez` while the process runs, `/readyz` while the worker polls and the store answers.
import http from 'node:http';
import { ping, type Queryable } from '../store/db.js';

export function serveWorkerHealth(where: { host: string; port: number }, state: { worker: () => string; db: Queryable }): Promise<http.Server> {
  const server = http.createServer((request, response) => {
    const answer = (status: number, body: object) => response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (request.url === '/livez') return answer(200, { live: true });
    if (request.url !== '/readyz') return answer(404, { error: 'finns inte' });
    ping(state.db).then(
      () => {
        const worker = state.worker();
        answer(worker === 'RUNNING' ? 200 : 503, { ready: worker === 'RUNNING', worker, store: true });
      },
      () => answer(503, { ready: false, worker: state.worker(), store: false }),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => resolve(server));
  });
}
