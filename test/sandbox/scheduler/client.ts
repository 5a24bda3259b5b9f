/** A plain @grpc/grpc-js client of the sandbox scheduler's API, as the `seldon` CLI would dial it. */
import * as grpc from '@grpc/grpc-js';
import * as loader from '@grpc/proto-loader';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Msg = any;

const options = { keepCase: true, longs: String, enums: String, defaults: true, arrays: true, oneofs: true };

export interface SchedulerClient {
  unary(method: string, request: Msg): Promise<Msg>;
  stream(method: string, request: Msg): Promise<Msg[]>;
  close(): void;
}

export function schedulerClient(address: string): SchedulerClient {
  const pkg = grpc.loadPackageDefinition(loader.loadSync('runbooks/apis/mlops/scheduler/scheduler.proto', options)) as Msg;
  const client = new pkg.seldon.mlops.scheduler.Scheduler(address, grpc.credentials.createInsecure());
  return {
    unary: (method, request) =>
      new Promise((resolve, reject) => client[method](request, (error: Error | null, value: Msg) => (error ? reject(error) : resolve(value)))),
    stream: (method, request) =>
      new Promise((resolve, reject) => {
        const out: Msg[] = [];
        const call = client[method](request);
        call.on('data', (m: Msg) => out.push(m));
        call.on('error', reject);
        call.on('end', () => resolve(out));
      }),
    close: () => client.close(),
  };
}
