// A faster codec for the big parts of RunFunction messages: a request's observed/desired States and
// required/extra resources (the CloudProvider, a team's Deployments) and a response's desired State,
// whose resources are google.protobuf.Structs. The SDK's generated codec builds a {fields} object, an
// entry object and a six-field Value object per key, copies each Struct once more to unwrap it, and
// encodes through fork/join chunks; on a pinned render that was a fifth of the server's CPU (plus its
// garbage). This one reads Structs straight into
// plain objects and writes them in one pass, backwards, into one reused buffer.
//
// It handles canonical input only and gives up on anything else (unknown or repeated oneof fields,
// groups, an over-deep message, a `__proto__` key, a value the SDK would refuse): then the SDK's own
// codec runs on the whole message, so the result, or the error, is always exactly the SDK's.
// Everything else (meta, input, context, credentials, required schemas, results, conditions…)
// is always the SDK's: small, and not worth a second implementation.
import { randomBytes } from 'node:crypto';
import { RunFunctionRequest, RunFunctionResponse, type Resource, type Resources, type State } from '@crossplane-org/function-sdk-typescript';

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

// Short ASCII strings (keys, kinds, names, "True"…) repeat across requests: a direct-mapped table of
// the last string seen per hash of its bytes saves building and internalising them again.
const SHORT = 32;
const SLOTS = 8192;
const recent: (string | undefined)[] = new Array<string | undefined>(SLOTS);

function short(b: Buffer, start: number, end: number): string {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c > 0x7f) return utf8.decode(b.subarray(start, end));
    h = Math.imul(h ^ c, 16777619);
  }
  const slot = (h >>> 0) & (SLOTS - 1);
  const seen = recent[slot];
  if (seen !== undefined && seen.length === end - start) {
    let i = 0;
    while (i < seen.length && seen.charCodeAt(i) === b[start + i]) i++;
    if (i === seen.length) return seen;
  }
  const made = b.toString('latin1', start, end);
  recent[slot] = made;
  return made;
}

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
    if (end - start <= SHORT) return short(b, start, end);
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
  const readValue = (e: number): unknown => value(r, e, depth + 2);
  while (r.pos < end) {
    if (r.uint() !== 10) giveUp();
    // A FieldsEntry: a missing value drops the entry.
    if (depth + 1 >= MAX_DEPTH) giveUp();
    const [key, v] = mapEntry(r, readValue);
    if (v !== undefined) out[key] = v;
  }
  return r.pos === end ? out : giveUp();
}

/** One protobuf map entry: key (field 1, a string; missing is "") and value (field 2, read by `readValue` up to its end). */
function mapEntry<T>(r: Reader, readValue: (end: number) => T): [string, T | undefined] {
  const entryEnd = r.end();
  let key = '';
  let v: T | undefined;
  while (r.pos < entryEnd) {
    const tag = r.uint();
    if (tag === 10) key = r.string();
    else if (tag === 18) v = readValue(r.end());
    else giveUp();
  }
  if (r.pos !== entryEnd || key === '__proto__') giveUp();
  return [key, v];
}

function resource(r: Reader, end: number, depth: number): Resource {
  if (depth >= MAX_DEPTH) giveUp();
  const out: Resource = { resource: undefined, connectionDetails: {}, ready: 0 };
  while (r.pos < end) {
    const tag = r.uint();
    if (tag === 10) out.resource = struct(r, r.end(), depth + 1);
    else if (tag === 18) {
      const [key, v] = mapEntry(r, (e) => bytes(r, e));
      out.connectionDetails[key] = v ?? Buffer.alloc(0);
    } else if (tag === 24) out.ready = r.uint();
    else giveUp();
  }
  return r.pos === end ? out : giveUp();
}

/** A bytes field up to `end`, copied out of the request buffer. */
function bytes(r: Reader, end: number): Buffer {
  const b = Buffer.from(r.buf.subarray(r.pos, end));
  r.pos = end;
  return b;
}

function state(r: Reader, end: number, depth: number): State {
  if (depth >= MAX_DEPTH) giveUp();
  const out: State = { composite: undefined, resources: {} };
  while (r.pos < end) {
    const tag = r.uint();
    if (tag === 10) out.composite = resource(r, r.end(), depth + 1);
    else if (tag === 18) {
      const [key, v] = mapEntry(r, (e) => resource(r, e, depth + 2));
      if (v !== undefined) out.resources[key] = v;
    } else giveUp();
  }
  return r.pos === end ? out : giveUp();
}

/** A map<string, Resources> entry (extra_resources, required_resources) into `into`. */
function resourcesEntry(r: Reader, end: number, depth: number, into: Record<string, Resources>): void {
  let key = '';
  let v: Resources | undefined;
  while (r.pos < end) {
    const t = r.uint();
    if (t === 10) key = r.string();
    else if (t === 18) {
      const itemsEnd = r.end();
      if (depth + 1 >= MAX_DEPTH) giveUp();
      v = { items: [] };
      while (r.pos < itemsEnd) {
        if (r.uint() !== 10) giveUp();
        v.items.push(resource(r, r.end(), depth + 2));
      }
      if (r.pos !== itemsEnd) giveUp();
    } else giveUp();
  }
  if (r.pos !== end || key === '__proto__') giveUp();
  if (v !== undefined) into[key] = v;
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
  let extra: Record<string, Resources> | undefined;
  let required: Record<string, Resources> | undefined;
  // Every other field, in order and each followed by a marker, for the SDK's decoder.
  const rest: Buffer[] = [];
  let fields = 0;
  while (r.pos < buf.length) {
    const start = r.pos;
    const tag = r.uint();
    if (tag === 18) observed = state(r, r.end(), 1);
    else if (tag === 26) desired = state(r, r.end(), 1);
    else if (tag === 50) resourcesEntry(r, r.end(), 1, (extra ??= {}));
    else if (tag === 66) resourcesEntry(r, r.end(), 1, (required ??= {}));
    else {
      if (tag >>> 3 === 0) giveUp();
      r.skip(tag & 7);
      rest.push(buf.subarray(start, r.pos), markerAt(fields++));
    }
  }
  const req = RunFunctionRequest.decode(Buffer.concat(rest));
  // The States and resource maps are read here; the SDK's decoder setting one means it read them out of other bytes.
  if (req.observed !== undefined || req.desired !== undefined || Object.keys(req.extraResources).length || Object.keys(req.requiredResources).length) giveUp();
  for (let i = 0; i < fields; i++) {
    const k = `${MARK_KEY}${i}`;
    if (!(k in req.requiredSchemas)) giveUp();
    delete req.requiredSchemas[k];
  }
  if (observed) req.observed = observed;
  if (desired) req.desired = desired;
  if (extra) req.extraResources = extra;
  if (required) req.requiredResources = required;
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

// Encoding, backwards: each message's content is written before (that is, in front of) its length
// prefix, so lengths are known when written and one pass suffices; fields and keys are visited in
// reverse so that the bytes come out in the SDK's order.

const SCRATCH = 64 * 1024;
/** Kept between calls (encoding is synchronous); a scratch grown past this is dropped after use. */
const KEEP = 1024 * 1024;
const f64 = new Float64Array(1);
const f64Bytes = new Uint8Array(f64.buffer);

class BackWriter {
  buf = Buffer.allocUnsafe(SCRATCH);
  /** Bytes written so far are buf[pos, buf.length). */
  pos = SCRATCH;

  reset(): void {
    if (this.buf.length > KEEP) this.buf = Buffer.allocUnsafe(SCRATCH);
    this.pos = this.buf.length;
  }

  /** Room for `n` more bytes in front. */
  room(n: number): void {
    if (this.pos >= n) return;
    const used = this.buf.length - this.pos;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, used + n + SCRATCH));
    this.buf.copy(grown, grown.length - used, this.pos);
    this.buf = grown;
    this.pos = grown.length - used;
  }

  byte(b: number): void {
    this.room(1);
    this.buf[--this.pos] = b;
  }

  varint(n: number): void {
    this.room(5);
    let p = (this.pos -= varintSize(n));
    const b = this.buf;
    while (n >= 0x80) {
      b[p++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    b[p] = n;
  }

  /** Bytes written so far: a position that stays valid when the buffer grows. */
  mark(): number {
    return this.buf.length - this.pos;
  }

  /** Closes a length-delimited field whose content was written since `mark`. */
  close(tag: number, mark: number): void {
    this.varint(this.buf.length - this.pos - mark);
    this.byte(tag);
  }

  string(tag: number, s: string): void {
    const n = s.length;
    this.room(n * 3 + 6);
    const mark = this.mark();
    const end = this.pos;
    const b = this.buf;
    let p = (this.pos = end - n);
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c > 0x7f) {
        // Not ASCII: the SDK writes UTF-8, a lone surrogate as U+FFFD, as Buffer does.
        const len = Buffer.byteLength(s, 'utf8');
        this.pos = end - len;
        b.write(s, this.pos, len, 'utf8');
        break;
      }
      b[p++] = c;
    }
    this.close(tag, mark);
  }

  bytes(tag: number, v: Uint8Array): void {
    const mark = this.mark();
    this.room(v.length);
    this.pos -= v.length;
    this.buf.set(v, this.pos);
    this.close(tag, mark);
  }

  double(tag: number, v: number): void {
    this.room(9);
    f64[0] = v;
    this.pos -= 8;
    this.buf.set(f64Bytes, this.pos);
    this.buf[--this.pos] = tag;
  }
}

const varintSize = (n: number) => (n < 0x80 ? 1 : n < 0x4000 ? 2 : n < 0x200000 ? 3 : n < 0x10000000 ? 4 : 5);
const w = new BackWriter();

/** A Value's field (the SDK's Value.wrap: null, boolean, number, string, list, struct). */
function writeValue(v: unknown): void {
  if (v === null) {
    w.byte(0);
    w.byte(8);
  } else if (typeof v === 'boolean') {
    w.byte(v ? 1 : 0);
    w.byte(32);
  } else if (typeof v === 'number') w.double(17, v);
  else if (typeof v === 'string') w.string(26, v);
  else if (typeof v !== 'object') giveUp();
  else if (Array.isArray(v)) {
    const end = w.mark();
    for (let i = v.length - 1; i >= 0; i--) {
      const x: unknown = v[i];
      const e = w.mark();
      if (x !== undefined) writeValue(x);
      w.close(10, e);
    }
    w.close(50, end);
  } else {
    const end = w.mark();
    writeStruct(v as Obj);
    w.close(42, end);
  }
}

function writeStruct(o: Obj): void {
  const keys = Object.keys(o);
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i] as string;
    const v = o[k];
    if (v === undefined) continue;
    // The SDK copies keys into a {} by assignment, where "__proto__" sets the prototype instead.
    if (k === '__proto__') giveUp();
    const entry = w.mark();
    const e = w.mark();
    writeValue(v);
    w.close(18, e);
    if (k !== '') w.string(10, k);
    w.close(10, entry);
  }
}

function writeResource(r: Resource): void {
  if (r.ready !== 0) {
    if (!Number.isInteger(r.ready) || r.ready < 0 || r.ready > 0x7fffffff) giveUp();
    w.varint(r.ready);
    w.byte(24);
  }
  const details = Object.entries(r.connectionDetails);
  for (let i = details.length - 1; i >= 0; i--) {
    const [k, v] = details[i] as [string, Buffer];
    if (!(v instanceof Uint8Array)) giveUp();
    const e = w.mark();
    if (v.length !== 0) w.bytes(18, v);
    if (k !== '') w.string(10, k);
    w.close(18, e);
  }
  if (r.resource !== undefined) {
    const e = w.mark();
    writeStruct(r.resource as Obj);
    w.close(10, e);
  }
}

function writeState(s: State): void {
  const entries = Object.entries(s.resources);
  for (let i = entries.length - 1; i >= 0; i--) {
    const [k, v] = entries[i] as [string, Resource | undefined];
    const e = w.mark();
    if (v !== undefined) {
      const r = w.mark();
      writeResource(v);
      w.close(18, r);
    }
    if (k !== '') w.string(10, k);
    w.close(18, e);
  }
  if (s.composite !== undefined) {
    const e = w.mark();
    writeResource(s.composite);
    w.close(10, e);
  }
}

/** The fast path alone (exported for tests): throws where it gives up. */
export function fastEncode(rsp: RunFunctionResponse): Buffer {
  // Field order as the SDK writes it: meta (1), desired (2), then the rest (3–7); written last first.
  const head = rsp.meta !== undefined ? RunFunctionResponse.encode({ meta: rsp.meta, results: [], conditions: [] } as unknown as RunFunctionResponse).finish() : undefined;
  const tail = RunFunctionResponse.encode({ ...rsp, meta: undefined, desired: undefined }).finish();
  w.reset();
  w.room(tail.length);
  w.pos -= tail.length;
  w.buf.set(tail, w.pos);
  if (rsp.desired !== undefined) {
    const e = w.mark();
    writeState(rsp.desired);
    w.close(18, e);
  }
  if (head) {
    w.room(head.length);
    w.pos -= head.length;
    w.buf.set(head, w.pos);
  }
  return Buffer.from(w.buf.subarray(w.pos));
}

/** RunFunctionResponse.encode, faster on the desired State; the SDK's bytes (or error) on anything unusual. */
export function encodeRunFunctionResponse(rsp: RunFunctionResponse): Buffer {
  try {
    return fastEncode(rsp);
  } catch {
    return Buffer.from(RunFunctionResponse.encode(rsp).finish());
  }
}
