// RunFunctionRequests the SDK's decoder cannot read get a Fatal result instead of a bare gRPC error:
// grpc-js answers RESOURCE_EXHAUSTED past its message limit and INTERNAL when the protobuf decoder
// gives up (objects nested deeper than about 30 levels exceed its recursion limit of 100 messages),
// which Crossplane shows without saying what to fix. The limit is raised deliberately instead:
// requests up to MAX_REQUEST_BYTES are read (an XR and its composed resources, each under etcd's
// 1.5 MiB); a larger one, or an undecodable one, is answered with a Fatal naming the cause.
import { RunFunctionResponse, Severity, Target, type RunFunctionRequest } from '@crossplane-org/function-sdk-typescript';
import { decodeRunFunctionRequest } from './grpc-codec.js';

export const MAX_REQUEST_BYTES = 32 * 1024 * 1024;
/** grpc-js's own limit: above ours, so that every request up to twice ours is answered with a result. */
export const GRPC_MAX_RECEIVE_BYTES = 2 * MAX_REQUEST_BYTES;
const UNREADABLE_TTL_SECONDS = 60;

/** What the guarded deserializer returns for a request it could not read. */
export interface UnreadableRequest {
  unreadable: string;
  tag: string;
}

export const isUnreadable = (r: RunFunctionRequest | UnreadableRequest): r is UnreadableRequest => 'unreadable' in r;

/** Reads one varint at `pos`; undefined when the buffer ends first. */
function varint(buf: Uint8Array, pos: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let shift = 0, i = pos; i < buf.length && shift < 64; shift += 7, i++) {
    const b = buf[i] as number;
    value += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return { value, next: i + 1 };
  }
  return undefined;
}

/** The first length-delimited `field` of an encoded message (its top level only), or undefined. */
function lengthDelimited(buf: Uint8Array, field: number): Uint8Array | undefined {
  let pos = 0;
  while (pos < buf.length) {
    const key = varint(buf, pos);
    if (!key) return undefined;
    const wire = key.value % 8;
    pos = key.next;
    if (wire === 0) {
      const v = varint(buf, pos);
      if (!v) return undefined;
      pos = v.next;
    } else if (wire === 1 || wire === 5) {
      pos += wire === 1 ? 8 : 4;
    } else if (wire === 2) {
      const len = varint(buf, pos);
      if (!len || len.next + len.value > buf.length) return undefined;
      if (Math.floor(key.value / 8) === field) return buf.subarray(len.next, len.next + len.value);
      pos = len.next + len.value;
    } else {
      return undefined;
    }
  }
  return undefined;
}

/** meta.tag of an encoded request (RunFunctionRequest field 1, RequestMeta field 1), read without decoding the rest; '' when absent. */
export function requestTag(buf: Uint8Array): string {
  const meta = lengthDelimited(buf, 1);
  const tag = meta && lengthDelimited(meta, 1);
  return tag ? Buffer.from(tag).toString('utf8') : '';
}

const MiB = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

/** The SDK's deserializer (grpc-codec.ts's faster equivalent), answering an oversized or undecodable request with UnreadableRequest instead of throwing. */
export function guardedDeserialize(buf: Buffer): RunFunctionRequest | UnreadableRequest {
  if (buf.length > MAX_REQUEST_BYTES) {
    return { tag: requestTag(buf), unreadable: `the request is ${MiB(buf.length)}, over the function's ${MiB(MAX_REQUEST_BYTES)} limit: the XR and its observed composed resources are too large` };
  }
  try {
    return decodeRunFunctionRequest(buf);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    const hint = /recursion limit/.test(why) ? ': an object in the XR or an observed resource is nested deeper than about 30 levels' : '';
    return { tag: requestTag(buf), unreadable: `the request cannot be decoded (${why})${hint}` };
  }
}

export function unreadableResponse(r: UnreadableRequest): RunFunctionResponse {
  return RunFunctionResponse.fromPartial({
    meta: { tag: r.tag, ttl: { seconds: UNREADABLE_TTL_SECONDS, nanos: 0 } },
    results: [{ severity: Severity.SEVERITY_FATAL, reason: 'RequestUnreadable', message: `request: ${r.unreadable}`, target: Target.TARGET_COMPOSITE_AND_CLAIM }],
  });
}
