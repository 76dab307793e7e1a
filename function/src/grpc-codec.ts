// A faster codec for the two big parts of RunFunction messages: the observed/desired States of a
// request and the desired State of a response, whose resources are google.protobuf.Structs. The
// SDK's generated codec builds a {fields} object, an entry object and a six-field Value object per
// key, copies each Struct once more to unwrap it, and encodes through fork/join chunks; on a pinned
// render that was a fifth of the server's CPU (plus its garbage). This one reads Structs straight into
// plain objects and writes them in two passes (sizes, then bytes into one buffer).
//
// It handles canonical input only and gives up on anything else (unknown or repeated oneof fields,
// groups, an over-deep message, a `__proto__` key, a value the SDK would refuse): then the SDK's own
// codec runs on the whole message, so the result, or the error, is always exactly the SDK's.
// Everything outside the States (meta, input, context, credentials, required resources, results…)
// is always the SDK's: small, and not worth a second implementation.
import { randomBytes } from 'node:crypto';
import { RunFunctionRequest, RunFunctionResponse, type Resource, type State } from '@crossplane-org/function-sdk-typescript';

/** ts-proto's decode recursion limit, in nested messages. */
const MAX_DEPTH = 100;
/** Thrown where the fast path stops; the SDK's codec decides instead. */
class GiveUp extends Error {}
const giveUp = (): never => {
  throw new GiveUp();
};

// The SDK's (bufbuild's) decoder: a leading U+FEFF is text, invalid UTF-8 becomes U+FFFD.
const utf8 = new TextDecoder('utf-8', { ignoreBOM: true });

type Obj = Record<string, unknown>;

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly buf: Buffer) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  /** A varint below 2^31 (tags, lengths, enums); anything longer is not canonical here. */
  uint(): number {
    const b = this.buf;
    let v = 0;
    for (let shift = 0; shift < 31; shift += 7) {
      if (this.pos >= b.length) giveUp();
      const x = b[this.pos++] as number;
      v |= (x & 0x7f) << shift;
      if (x < 0x80) return shift === 28 && x > 7 ? giveUp() : v;
    }
    return giveUp();
  }

  /** The end of a length-delimited field starting here. */
  end(): number {
    const len = this.uint();
    const end = this.pos + len;
    if (end > this.buf.length) giveUp();
    return end;
  }

  string(): string {
    const end = this.end();
    const b = this.buf;
    const start = this.pos;
    this.pos = end;
    for (let i = start; i < end; i++) if ((b[i] as number) > 0x7f) return utf8.decode(b.subarray(start, end));
    return b.toString('latin1', start, end);
  }

  double(): number {
    if (this.pos + 8 > this.buf.length) giveUp();
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  /** Skips a field of wire type `wire` (top level only); groups are not canonical here. */
  skip(wire: number): void {
    if (wire === 0) {
      while (this.pos < this.buf.length && (this.buf[this.pos] as number) >= 0x80) this.pos++;
      this.pos++;
    } else if (wire === 1) this.pos += 8;
    else if (wire === 2) this.pos = this.end();
    else if (wire === 5) this.pos += 4;
    else giveUp();
    if (this.pos > this.buf.length) giveUp();
  }
}

function value(r: Reader, end: number, depth: number): unknown {
  if (depth >= MAX_DEPTH) giveUp();
  let v: unknown;
  let set = 0;
  while (r.pos < end) {
    const tag = r.uint();
    set++;
    if (tag === 26) v = r.string();
    else if (tag === 42) v = struct(r, r.end(), depth + 1);
    else if (tag === 17) v = r.double();
    else if (tag === 32) v = r.uint() !== 0;
    else if (tag === 50) v = list(r, r.end(), depth + 1);
    else if (tag === 8) {
      r.uint();
      v = null;
    } else giveUp();
  }
  // Exactly one of the oneof's fields: the SDK resolves several by its own precedence.
  return set === 1 && r.pos === end ? v : giveUp();
}

function list(r: Reader, end: number, depth: number): unknown[] {
  if (depth >= MAX_DEPTH) giveUp();
  const out: unknown[] = [];
  while (r.pos < end) {
    if (r.uint() !== 10) giveUp();
    out.push(value(r, r.end(), depth + 1));
  }
  return r.pos === end ? out : giveUp();
}

function struct(r: Reader, end: number, depth: number): Obj {
  if (depth >= MAX_DEPTH) giveUp();
  const out: Obj = {};
  while (r.pos < end) {
    if (r.uint() !== 10) giveUp();
    // A FieldsEntry: key (1) and value (2); a missing key is "", a missing value drops the entry.
    const entryEnd = r.end();
    if (depth + 1 >= MAX_DEPTH) giveUp();
    let key = '';
    let v: unknown;
    while (r.pos < entryEnd) {
      const tag = r.uint();
      if (tag === 10) key = r.string();
      else if (tag === 18) v = value(r, r.end(), depth + 2);
      else giveUp();
    }
    if (r.pos !== entryEnd || key === '__proto__') giveUp();
    if (v !== undefined) out[key] = v;
  }
  return r.pos === end ? out : giveUp();
}

function resource(r: Reader, end: number, depth: number): Resource {
  if (depth >= MAX_DEPTH) giveUp();
  const out: Resource = { resource: undefined, connectionDetails: {}, ready: 0 };
  while (r.pos < end) {
    const tag = r.uint();
    if (tag === 10) out.resource = struct(r, r.end(), depth + 1);
    else if (tag === 18) {
      const entryEnd = r.end();
      let key = '';
      let v = Buffer.alloc(0);
      while (r.pos < entryEnd) {
        const t = r.uint();
        if (t === 10) key = r.string();
        else if (t === 18) {
          const e = r.end();
          v = Buffer.from(r.buf.subarray(r.pos, e));
          r.pos = e;
        } else giveUp();
      }
      if (r.pos !== entryEnd || key === '__proto__') giveUp();
      out.connectionDetails[key] = v;
    } else if (tag === 24) out.ready = r.uint();
    else giveUp();
  }
  return r.pos === end ? out : giveUp();
}

function state(r: Reader, end: number, depth: number): State {
  if (depth >= MAX_DEPTH) giveUp();
  const out: State = { composite: undefined, resources: {} };
  while (r.pos < end) {
    const tag = r.uint();
    if (tag === 10) out.composite = resource(r, r.end(), depth + 1);
    else if (tag === 18) {
      const entryEnd = r.end();
      let key = '';
      let v: Resource | undefined;
      while (r.pos < entryEnd) {
        const t = r.uint();
        if (t === 10) key = r.string();
        else if (t === 18) v = resource(r, r.end(), depth + 2);
        else giveUp();
      }
      if (r.pos !== entryEnd || key === '__proto__') giveUp();
      if (v !== undefined) out.resources[key] = v;
    } else giveUp();
  }
  return r.pos === end ? out : giveUp();
}

/**
 * A required_schemas entry (field 9) with a key no request can guess, put after every field handed to
 * the SDK's decoder: that decoder stops or goes astray at a zero tag or an end-group inside a message
 * and would then read the following fields differently; only when it records every marker did it
 * read each field from its start to its end, exactly as it would have in the whole request.
 */
const MARK_KEY = `scai-codec-${randomBytes(16).toString('hex')}-`;
function marker(i: number): Buffer {
  const key = Buffer.from(`${MARK_KEY}${i}`, 'latin1');
  // 0x4a = field 9, length-delimited; the entry: key (0x0a) and an empty SchemaSelector value (0x12 0x00).
  return Buffer.concat([Buffer.from([0x4a, key.length + 4, 0x0a, key.length]), key, Buffer.from([0x12, 0x00])]);
}
const markers: Buffer[] = [];
const markerAt = (i: number) => (markers[i] ??= marker(i));

/** The fast path alone (exported for tests): throws where it gives up. */
export function fastDecode(buf: Buffer): RunFunctionRequest {
  const r = new Reader(buf);
  let observed: State | undefined;
  let desired: State | undefined;
  // Every other field, in order and each followed by a marker, for the SDK's decoder.
  const rest: Buffer[] = [];
  let fields = 0;
  while (r.pos < buf.length) {
    const start = r.pos;
    const tag = r.uint();
    if (tag === 18) observed = state(r, r.end(), 1);
    else if (tag === 26) desired = state(r, r.end(), 1);
    else {
      if (tag >>> 3 === 0) giveUp();
      r.skip(tag & 7);
      rest.push(buf.subarray(start, r.pos), markerAt(fields++));
    }
  }
  const req = RunFunctionRequest.decode(Buffer.concat(rest));
  // The States are read here; the SDK's decoder setting one means it read them out of other bytes.
  if (req.observed !== undefined || req.desired !== undefined) giveUp();
  for (let i = 0; i < fields; i++) {
    const k = `${MARK_KEY}${i}`;
    if (!(k in req.requiredSchemas)) giveUp();
    delete req.requiredSchemas[k];
  }
  if (observed) req.observed = observed;
  if (desired) req.desired = desired;
  return req;
}

/** RunFunctionRequest.decode, faster on the States; the SDK's own result (or error) on anything unusual. */
export function decodeRunFunctionRequest(buf: Uint8Array): RunFunctionRequest {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  try {
    return fastDecode(b);
  } catch {
    return RunFunctionRequest.decode(b);
  }
}

// Encoding. Pass 1 computes the length of every length-delimited field (messages and strings) in the
// order pass 2 writes them; pass 2 writes into one buffer of the exact size.

const varintSize = (n: number) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);
const delimited = (n: number) => 1 + varintSize(n) + n;

/** Byte lengths in write order; reused across calls (encoding is synchronous). */
let sizes: number[] = [];

function utf8Size(s: string): number {
  const n = s.length;
  for (let i = 0; i < n; i++) if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  return n;
}

function sizeString(s: string): number {
  const n = utf8Size(s);
  sizes.push(n);
  return delimited(n);
}

/** Reserves the slot of a nested message's length; fill it with `sizes[at] = n`. */
function reserve(): number {
  sizes.push(0);
  return sizes.length - 1;
}

/** The size of a Value's content (the SDK's Value.wrap: null, boolean, number, string, list, struct). */
function sizeValue(v: unknown): number {
  if (v === null || typeof v === 'boolean') return 2;
  if (typeof v === 'number') return 9;
  if (typeof v === 'string') return sizeString(v);
  if (typeof v !== 'object') return giveUp();
  const at = reserve();
  const n = Array.isArray(v) ? sizeList(v) : sizeStruct(v as Obj);
  sizes[at] = n;
  return delimited(n);
}

function sizeList(a: unknown[]): number {
  let n = 0;
  for (const v of a) {
    const at = reserve();
    const m = v === undefined ? 0 : sizeValue(v);
    sizes[at] = m;
    n += delimited(m);
  }
  return n;
}

function sizeStruct(o: Obj): number {
  let n = 0;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    // The SDK copies keys into a {} by assignment, where "__proto__" sets the prototype instead.
    if (k === '__proto__') giveUp();
    const entry = reserve();
    let m = k === '' ? 0 : sizeString(k);
    const at = reserve();
    const vs = sizeValue(v);
    sizes[at] = vs;
    m += delimited(vs);
    sizes[entry] = m;
    n += delimited(m);
  }
  return n;
}

/** A nested message's size with its length slot reserved before the sizes inside it. */
function sizeMessage<T>(f: (x: T) => number, x: T): number {
  const at = reserve();
  const n = f(x);
  sizes[at] = n;
  return n;
}

function sizeResource(r: Resource): number {
  let n = 0;
  if (r.resource !== undefined) n += delimited(sizeMessage(sizeStruct, r.resource as Obj));
  for (const [k, v] of Object.entries(r.connectionDetails)) n += delimited(sizeMessage(sizeDetail, [k, v] as const));
  if (r.ready !== 0) {
    if (!Number.isInteger(r.ready) || r.ready < 0 || r.ready > 0x7fffffff) giveUp();
    n += 1 + varintSize(r.ready);
  }
  return n;
}

function sizeDetail([k, v]: readonly [string, Buffer]): number {
  if (!(v instanceof Uint8Array)) giveUp();
  return (k === '' ? 0 : sizeString(k)) + (v.length !== 0 ? delimited(v.length) : 0);
}

function sizeState(s: State): number {
  let n = 0;
  if (s.composite !== undefined) n += delimited(sizeMessage(sizeResource, s.composite));
  for (const [k, v] of Object.entries(s.resources)) n += delimited(sizeMessage(sizeResourceEntry, [k, v] as const));
  return n;
}

function sizeResourceEntry([k, v]: readonly [string, Resource | undefined]): number {
  return (k === '' ? 0 : sizeString(k)) + (v !== undefined ? delimited(sizeMessage(sizeResource, v)) : 0);
}

class Writer {
  pos = 0;
  next = 0;
  constructor(readonly buf: Buffer) {}

  uint(n: number): void {
    const b = this.buf;
    while (n >= 0x80) {
      b[this.pos++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    b[this.pos++] = n;
  }

  /** A tag and the next reserved length. */
  open(tag: number): void {
    this.buf[this.pos++] = tag;
    this.uint(sizes[this.next++] as number);
  }

  string(tag: number, s: string): void {
    const n = sizes[this.next++] as number;
    this.buf[this.pos++] = tag;
    this.uint(n);
    // As many bytes as UTF-16 units only when every character is ASCII.
    this.buf.write(s, this.pos, n, n === s.length ? 'latin1' : 'utf8');
    this.pos += n;
  }
}

function writeValue(w: Writer, v: unknown): void {
  if (v === null) {
    w.buf[w.pos++] = 8;
    w.buf[w.pos++] = 0;
  } else if (typeof v === 'boolean') {
    w.buf[w.pos++] = 32;
    w.buf[w.pos++] = v ? 1 : 0;
  } else if (typeof v === 'number') {
    w.buf[w.pos++] = 17;
    w.buf.writeDoubleLE(v, w.pos);
    w.pos += 8;
  } else if (typeof v === 'string') w.string(26, v);
  else if (Array.isArray(v)) {
    w.open(50);
    for (const x of v) {
      w.open(10);
      if (x !== undefined) writeValue(w, x);
    }
  } else {
    w.open(42);
    writeStruct(w, v as Obj);
  }
}

function writeStruct(w: Writer, o: Obj): void {
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v === undefined) continue;
    w.open(10);
    if (k !== '') w.string(10, k);
    w.open(18);
    writeValue(w, v);
  }
}

function writeResource(w: Writer, r: Resource): void {
  if (r.resource !== undefined) {
    w.open(10);
    writeStruct(w, r.resource as Obj);
  }
  for (const [k, v] of Object.entries(r.connectionDetails)) {
    w.open(18);
    if (k !== '') w.string(10, k);
    if (v.length !== 0) {
      w.buf[w.pos++] = 18;
      w.uint(v.length);
      w.buf.set(v, w.pos);
      w.pos += v.length;
    }
  }
  if (r.ready !== 0) {
    w.buf[w.pos++] = 24;
    w.uint(r.ready);
  }
}

function writeState(w: Writer, s: State): void {
  if (s.composite !== undefined) {
    w.open(10);
    writeResource(w, s.composite);
  }
  for (const [k, v] of Object.entries(s.resources)) {
    w.open(18);
    if (k !== '') w.string(10, k);
    if (v !== undefined) {
      w.open(18);
      writeResource(w, v);
    }
  }
}

/** The fast path alone (exported for tests): throws where it gives up. */
export function fastEncode(rsp: RunFunctionResponse): Buffer {
  // Field order as the SDK writes it: meta (1), desired (2), then the rest (3–7).
  const head = rsp.meta !== undefined ? RunFunctionResponse.encode({ meta: rsp.meta, results: [], conditions: [] } as unknown as RunFunctionResponse).finish() : undefined;
  const tail = RunFunctionResponse.encode({ ...rsp, meta: undefined, desired: undefined }).finish();
  sizes = [];
  const desired = rsp.desired !== undefined ? sizeMessage(sizeState, rsp.desired) : -1;
  const out = Buffer.allocUnsafe((head?.length ?? 0) + (desired >= 0 ? delimited(desired) : 0) + tail.length);
  const w = new Writer(out);
  if (head) {
    out.set(head, 0);
    w.pos = head.length;
  }
  if (rsp.desired !== undefined) {
    w.open(18);
    writeState(w, rsp.desired);
  }
  out.set(tail, w.pos);
  w.pos += tail.length;
  if (w.pos !== out.length || w.next !== sizes.length) throw new Error(`grpc-codec: wrote ${w.pos} of ${out.length} bytes`);
  return out;
}

/** RunFunctionResponse.encode, faster on the desired State; the SDK's bytes (or error) on anything unusual. */
export function encodeRunFunctionResponse(rsp: RunFunctionResponse): Buffer {
  try {
    return fastEncode(rsp);
  } catch {
    return Buffer.from(RunFunctionResponse.encode(rsp).finish());
  } finally {
    sizes = [];
  }
}
