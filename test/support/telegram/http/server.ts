import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorCore } from "../core.js";
import { Dispatcher } from "./dispatcher.js";

export interface RunningServer {
  readonly apiRoot: string;
  close(): Promise<void>;
}

/** Starts the HTTP side on 127.0.0.1 (a random port unless one is given). */
export async function startServer(core: EmulatorCore): Promise<RunningServer> {
  const dispatcher = new Dispatcher(core);
  const server: Server = createServer({ keepAliveTimeout: 30_000 }, dispatcher.handle);
  // long polls and hung requests may stay open far beyond Node's defaults
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(core.options.port, core.options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    apiRoot: `http://${core.options.host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // ends long polls, hangs and idle keep-alive sockets
      }),
  };
}
