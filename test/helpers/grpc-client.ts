// A RunFunction client (the SDK exports none).
import * as grpc from '@grpc/grpc-js';
import { FunctionRunnerServiceService, type RunFunctionRequest, type RunFunctionResponse } from '@crossplane-org/function-sdk-typescript';

const Client = grpc.makeGenericClientConstructor(FunctionRunnerServiceService, 'FunctionRunnerService');

export interface FnClient {
  run(req: RunFunctionRequest, deadlineMs?: number): Promise<RunFunctionResponse>;
  close(): void;
}

export function fnClient(address: string, creds: grpc.ChannelCredentials = grpc.credentials.createInsecure()): FnClient {
  const c = new Client(address, creds) as unknown as grpc.Client & {
    runFunction(req: RunFunctionRequest, opts: grpc.CallOptions, cb: (e: grpc.ServiceError | null, r: RunFunctionResponse) => void): void;
  };
  return {
    run: (req, deadlineMs = 10_000) =>
      new Promise((resolve, reject) => c.runFunction(req, { deadline: Date.now() + deadlineMs }, (e, r) => (e ? reject(e) : resolve(r)))),
    close: () => c.close(),
  };
}
