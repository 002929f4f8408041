import { createConnection } from "node:net";

/** Whether something accepts TCP connections at host:port (a local NATS, RabbitMQ...), within timeoutMs. */
export function tcpPortOpen(port: number, host = "127.0.0.1", timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
