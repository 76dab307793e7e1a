// A lean RunFunction load generator for load.bench.ts: raw node:http2 with gRPC framing, each XR's
// request encoded once up front, many concurrent streams over a few connections. It is light so that,
// on a machine whose cores it shares with the server, the measured rate is the server's and not the
// generator's (a grpc-js client re-encoding and fully decoding every call cost about as much CPU as
// the server). Answers are still checked: every response's grpc-status, every body against the one
// verified for its XR at the start (a pinned render answers the same bytes every time), and a sampled
// fraction fully decoded and verified again.
import { connect, constants, type ClientHttp2Session } from 'node:http2';
import { RunFunctionRequest, RunFunctionResponse, Severity } from '@crossplane-org/function-sdk-typescript';

const PATH = '/apiextensions.fn.proto.v1.FunctionRunnerService/RunFunction';
const HEADERS = {
  [constants.HTTP2_HEADER_METHOD]: 'POST',
  [constants.HTTP2_HEADER_PATH]: PATH,
  [constants.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
  [constants.HTTP2_HEADER_TE]: 'trailers',
};

/** A request as gRPC sends it: a 5-byte prefix (not compressed, big-endian length) and the message. */
export function grpcFrame(req: RunFunctionRequest): Buffer {
  const msg = RunFunctionRequest.encode(req).finish();
  const frame = Buffer.allocUnsafe(5 + msg.length);
  frame[0] = 0;
  frame.writeUInt32BE(msg.length, 1);
  frame.set(msg, 5);
  return frame;
}

export interface Answer {
  /** grpc-status ('0' is OK), from the trailers or a trailers-only response. */
  status: string;
  message?: string;
  /** The response's gRPC frame(s) as received. */
  body: Buffer;
}

/** The response message of a one-frame gRPC body. */
export function responseOf(a: Answer): RunFunctionResponse {
  if (a.status !== '0') throw new Error(`grpc-status ${a.status}: ${a.message ?? ''}`);
  if (a.body.length < 5 || a.body[0] !== 0 || a.body.readUInt32BE(1) !== a.body.length - 5) throw new Error(`not one uncompressed gRPC frame (${a.body.length} bytes)`);
  return RunFunctionResponse.decode(a.body.subarray(5));
}

/** One RunFunction call on `session`. */
export function call(session: ClientHttp2Session, frame: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const stream = session.request(HEADERS);
    const chunks: Buffer[] = [];
    let status: string | undefined;
    let message: string | undefined;
    const note = (h: Record<string, unknown>) => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
      if (h['grpc-message'] !== undefined) message = decodeURIComponent(String(h['grpc-message']));
    };
    stream.on('response', note);
    stream.on('trailers', note);
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('error', reject);
    stream.on('end', () => resolve({ status: status ?? 'missing', ...(message !== undefined ? { message } : {}), body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks) }));
    stream.end(frame);
  });
}

export function open(port: number): Promise<ClientHttp2Session> {
  return new Promise((resolve, reject) => {
    const s = connect(`http://127.0.0.1:${port}`);
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

/** Why a response is not a good pinned render of `req`, or undefined when it is. */
export function pinnedProblem(req: RunFunctionRequest, rsp: RunFunctionResponse): string | undefined {
  const fatal = rsp.results.find((r) => r.severity === Severity.SEVERITY_FATAL);
  if (fatal) return `Fatal: ${fatal.message}`;
  const ready = rsp.conditions.find((c) => c.type === 'DecisionReady');
  if (ready?.reason !== 'Pinned') return `not a pinned render (DecisionReady ${ready?.reason ?? 'absent'})`;
  const sent = (req.observed?.composite?.resource?.status as { decision?: { inputsHash?: string } } | undefined)?.decision?.inputsHash;
  const kept = (rsp.desired?.composite?.resource?.status as { decision?: { inputsHash?: string } } | undefined)?.decision?.inputsHash;
  if (!sent || kept !== sent) return `the pinned decision changed (${sent} → ${kept})`;
  const lost = Object.keys(req.observed?.resources ?? {}).filter((k) => !rsp.desired?.resources[k]);
  if (lost.length) return `observed composed resources dropped: ${lost.join(', ')}`;
  return undefined;
}

export interface LoadResult {
  renders: number;
  seconds: number;
  /** Latencies in ms, in completion order. */
  latencies: Float64Array;
  /** Fully decoded and verified during the run. */
  decoded: number;
  /** Calls that did not answer the verified bytes (with the first few reasons). */
  wrong: number;
  reasons: string[];
}

/**
 * Drives a server: `renders` calls of `frames[i % frames.length]`, `inFlight` at a time spread over
 * `sessions`. `reference[i]` is the verified answer for frame i; every answer is compared with it and
 * one in `decodeEvery` is decoded and checked with `check` as well.
 */
export async function drive(opts: {
  sessions: ClientHttp2Session[];
  frames: Buffer[];
  reference: Buffer[];
  renders: number;
  inFlight: number;
  decodeEvery: number;
  check: (i: number, rsp: RunFunctionResponse) => string | undefined;
  /** Called after each completed call with the number completed so far. */
  progress?: (done: number) => void;
}): Promise<LoadResult> {
  const { sessions, frames, reference, renders, inFlight, decodeEvery, check } = opts;
  const latencies = new Float64Array(renders);
  let next = 0;
  let done = 0;
  let decoded = 0;
  let wrong = 0;
  const reasons: string[] = [];
  const fail = (why: string) => {
    wrong++;
    if (reasons.length < 5) reasons.push(why);
  };
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, renders) }, async (_, lane) => {
      const session = sessions[lane % sessions.length] as ClientHttp2Session;
      for (let n = next++; n < renders; n = next++) {
        const i = n % frames.length;
        const t = performance.now();
        let a: Answer;
        try {
          a = await call(session, frames[i] as Buffer);
        } catch (e) {
          fail(`call failed: ${(e as Error).message}`);
          continue;
        }
        latencies[done] = performance.now() - t;
        done++;
        if (a.status !== '0') fail(`grpc-status ${a.status}: ${a.message ?? ''}`);
        else if (!a.body.equals(reference[i] as Buffer)) fail(`XR ${i}: the answer differs from the verified one`);
        if (n % decodeEvery === 0) {
          decoded++;
          try {
            const why = check(i, responseOf(a));
            if (why) fail(`XR ${i}: ${why}`);
          } catch (e) {
            fail(`XR ${i}: ${(e as Error).message}`);
          }
        }
        opts.progress?.(done);
      }
    }),
  );
  return { renders: done, seconds: (performance.now() - t0) / 1000, latencies: latencies.subarray(0, done), decoded, wrong, reasons };
}
