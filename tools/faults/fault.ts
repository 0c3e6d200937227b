import { connect } from 'node:net';

/** One fault the suite injects while the load runs. */
export interface Fault {
  name: string;
  /** Injects the fault; resolves with what shows it happened (" still " where it did not). */
  inject(): Promise<string>;
  recover(): Promise<void>;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether anything accepts a TCP connection on the port now. */
export function listening(hostPort: string): Promise<boolean> {
  const [host = '127.0.0.1', port = '0'] = hostPort.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
