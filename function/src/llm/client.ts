// The edge to the model server: one chat call through the `ollama` client with a hard timeout, its
// failures sorted into reasons a Warning can name. Transport errors are retried; timeouts and
// answers never are (a timed-out model would only time out again, and the render waits meanwhile).
import { Ollama } from 'ollama';
import type { ChatMessages } from './prompt.js';

export interface ChatCall {
  model: string;
  messages: ChatMessages;
  /** JSON schema for Ollama's structured output. */
  format: Record<string, unknown>;
  temperature: number;
  contextSize: number;
  maxTokens: number;
  timeoutMs: number;
}

/** A model server: returns the assistant's raw text, or throws an LlmCallError. */
export interface LlmChat {
  chat(call: ChatCall): Promise<string>;
}

/** Makes the client for a host (injected in tests to record what is sent). */
export type LlmConnector = (host: string) => LlmChat;

export type LlmFailure = 'timeout' | 'unreachable' | 'model-missing' | 'server-error' | 'refused' | 'not-ollama';

export class LlmCallError extends Error {
  override readonly name = 'LlmCallError';
  constructor(
    readonly kind: LlmFailure,
    message: string,
  ) {
    super(message);
  }
}

const RETRYABLE: ReadonlySet<LlmFailure> = new Set(['unreachable', 'server-error']);

function classify(e: unknown, call: ChatCall): LlmCallError {
  if (e instanceof LlmCallError) return e;
  const err = e as { name?: string; message?: string; status_code?: number; cause?: { code?: string; message?: string } };
  const msg = err?.message ?? String(e);
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return new LlmCallError('timeout', `no answer within ${call.timeoutMs} ms`);
  if (err?.status_code === 404 || /not found/i.test(msg)) return new LlmCallError('model-missing', `model "${call.model}" not found on the server (ollama pull ${call.model})`);
  // A 200 whose body is not Ollama's JSON: the host is some other service.
  if (err?.name === 'SyntaxError') return new LlmCallError('not-ollama', `the host did not answer like Ollama's /api/chat: ${msg.slice(0, 120)}`);
  if (typeof err?.status_code === 'number') return new LlmCallError(err.status_code >= 500 ? 'server-error' : 'refused', `server answered ${err.status_code}: ${msg.slice(0, 200)}`);
  const code = err?.cause?.code;
  if (code || /fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(msg)) return new LlmCallError('unreachable', `${code ?? 'connection failed'}: ${(err?.cause?.message ?? msg).slice(0, 200)}`);
  return new LlmCallError('server-error', msg.slice(0, 200));
}

/** The real client: Ollama's /api/chat, non-streaming, `format` = the answer's JSON schema. */
export function ollamaConnector(fetchImpl: typeof fetch = fetch): LlmConnector {
  return (host) => ({
    async chat(call) {
      const client = new Ollama({
        host,
        // The client passes no signal on non-streaming calls: the bound is added here, and covers the body too.
        fetch: (url, init) => fetchImpl(url, { ...init, signal: AbortSignal.timeout(call.timeoutMs) }),
      });
      try {
        const rsp = await client.chat({
          model: call.model,
          stream: false,
          format: call.format,
          messages: [
            { role: 'system', content: call.messages.system },
            { role: 'user', content: call.messages.user },
          ],
          options: { temperature: call.temperature, num_ctx: call.contextSize, num_predict: call.maxTokens },
        });
        return rsp.message.content;
      } catch (e) {
        throw classify(e, call);
      }
    },
  });
}

/** One call with up to `retries` further attempts after transport errors. */
export async function chatWithRetries(chat: LlmChat, call: ChatCall, retries: number): Promise<{ raw: string; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { raw: await chat.chat(call), attempts: attempt };
    } catch (e) {
      const err = classify(e, call);
      if (attempt > retries || !RETRYABLE.has(err.kind)) throw err;
    }
  }
}
