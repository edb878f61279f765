import type { Socket } from 'node:net';

/*
 * Several attempts can succeed at once (a LAN and a public candidate, two
 * birthday pairs, a hairpin path and a direct one). Both sides must keep the
 * same socket, so one side decides: the initiator keeps its first connected
 * socket and writes one SELECT byte on it; the responder keeps the socket on
 * which that byte arrives. Losing sockets are closed by both.
 */
export const SELECT_BYTE = 0x01;

/** Resolves true when the first byte on `socket` is SELECT, without consuming anything after it. */
export function awaitSelect(socket: Socket): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      socket.off('readable', onReadable);
      socket.off('close', onClose);
      resolve(ok);
    };
    const onReadable = () => {
      const b = socket.read(1) as Buffer | null;
      if (b === null) return;
      done(b[0] === SELECT_BYTE);
    };
    const onClose = () => done(false);
    socket.on('readable', onReadable);
    socket.on('close', onClose);
  });
}

export function sendSelect(socket: Socket): void {
  socket.write(Buffer.of(SELECT_BYTE));
}
