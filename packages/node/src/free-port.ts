import { createServer, type AddressInfo } from 'node:net';

/** A TCP port the kernel just handed out and took back: free for a punch to bind. */
export function freeTcpPort(host = '0.0.0.0'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
