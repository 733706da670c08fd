import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy did with the requests it held. */
export interface HoldingReport {
  /** Requests held for `holdMs`. */
  readonly held: number;
  /** Held requests whose client gave up (its deadline) before the hold ended: never forwarded. */
  readonly droppedUnsent: number;
  /** Held requests forwarded after their client had gone: what must never happen. */
  readonly sentLate: number;
}

/**
 * A small HTTP proxy in front of the simulator that holds every bulk POST
 * (`POST /v2/droplets/actions?tag_name=`) for `holdMs` before forwarding it, as a rate limiter
 * that keeps a request waiting would, and forwards everything else at once. A held request whose
 * client aborts meanwhile is not forwarded, as a request a client gives up on before its turn is
 * never sent: so the proxy shows, from outside, that no bulk dispatch is sent after its deadline.
 */
export class HoldingProxy {
  #held = 0;
  #droppedUnsent = 0;
  #sentLate = 0;
  readonly #holding = new Set<Promise<unknown>>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: string, holdMs: number): Promise<HoldingProxy> {
    const upstream = new URL(target);
    const handlers: { proxy?: HoldingProxy } = {};
    const server = createServer(
      (request, response) => void handlers.proxy?.handle(request, response, upstream, holdMs),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    handlers.proxy = new HoldingProxy(server, `http://127.0.0.1:${port}`);
    return handlers.proxy;
  }

  /** Resolves once every request still held has been forwarded or dropped, so that the report is final. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.#holding]);
  }

  report(): HoldingReport {
    return { held: this.#held, droppedUnsent: this.#droppedUnsent, sentLate: this.#sentLate };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(request: IncomingMessage, response: ServerResponse, upstream: URL, holdMs: number) {
    const body = await readBody(request);
    let gone = false;
    response.on('close', () => {
      if (!response.writableFinished) gone = true;
    });
    if (request.method === 'POST' && (request.url ?? '').startsWith('/v2/droplets/actions?')) {
      this.#held += 1;
      const hold = new Promise((resolve) => setTimeout(resolve, holdMs));
      this.#holding.add(hold);
      await hold;
      this.#holding.delete(hold);
      if (gone) {
        this.#droppedUnsent += 1;
        return;
      }
    }
    if (gone && request.method === 'POST') this.#sentLate += 1;
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: request.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    forwarded.on('error', () => response.destroy());
    forwarded.end(body);
  }
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}
