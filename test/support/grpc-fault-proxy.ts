import {
  connect,
  constants,
  createServer,
  type ClientHttp2Session,
  type Http2Server,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { AddressInfo } from 'node:net';

/**
 * A plaintext HTTP/2 (h2c) proxy in front of a Temporal frontend that forwards every gRPC call
 * until told to refuse them, then answers each call, including the long polls already waiting,
 * with a chosen gRPC status. It stands for a cluster that starts refusing a client for good
 * (revoked credentials, an authorizer's denial) without waiting on any server-side timing.
 */
export class GrpcFaultProxy {
  private readonly server: Http2Server;
  private upstream?: ClientHttp2Session;
  private refusal?: { code: number; message: string };
  private readonly open = new Set<ServerHttp2Stream>();

  private constructor(private readonly target: string) {
    this.server = createServer();
    this.server.on('stream', (stream, headers) => this.handle(stream, headers));
  }

  static async start(target: string): Promise<GrpcFaultProxy> {
    const proxy = new GrpcFaultProxy(target);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get address(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** From now on every call, new or in flight, fails with this gRPC status code (7 = PERMISSION_DENIED). */
  refuse(code: number, message: string): void {
    this.refusal = { code, message };
    for (const stream of this.open) this.answerRefused(stream);
  }

  async close(): Promise<void> {
    for (const stream of this.open) stream.close(constants.NGHTTP2_CANCEL);
    this.upstream?.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders): void {
    stream.on('error', () => undefined);
    if (this.refusal) return this.answerRefused(stream);
    this.open.add(stream);
    stream.once('close', () => this.open.delete(stream));
    const request = this.session().request(withoutPseudoHeaders(headers, [':method', ':path']));
    request.on('error', () => stream.close(constants.NGHTTP2_CANCEL));
    let trailers: OutgoingHttpHeaders = {};
    request.on('trailers', (received) => (trailers = withoutPseudoHeaders(received)));
    request.on('response', (response) => {
      if (stream.headersSent || stream.closed) return;
      // A trailers-only answer (an error status) carries grpc-status in its headers and no body.
      const trailersOnly = response['grpc-status'] !== undefined;
      stream.respond(withoutPseudoHeaders(response, [':status']), trailersOnly ? { endStream: true } : { waitForTrailers: true });
      if (!trailersOnly) {
        stream.on('wantTrailers', () => stream.sendTrailers(trailers));
        request.pipe(stream);
      }
    });
    stream.pipe(request);
  }

  private answerRefused(stream: ServerHttp2Stream): void {
    if (stream.closed || stream.destroyed) return;
    if (stream.headersSent) return stream.close(constants.NGHTTP2_CANCEL);
    const { code, message } = this.refusal as { code: number; message: string };
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(code), 'grpc-message': message },
      { endStream: true },
    );
  }

  private session(): ClientHttp2Session {
    if (!this.upstream || this.upstream.closed || this.upstream.destroyed) {
      this.upstream = connect(`http://${this.target}`);
      this.upstream.on('error', () => undefined);
    }
    return this.upstream;
  }
}

/** Copies headers, keeping only the named pseudo-headers (the rest are set by each hop). */
function withoutPseudoHeaders(headers: IncomingHttpHeaders, keep: string[] = []): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':') || keep.includes(name)));
}
