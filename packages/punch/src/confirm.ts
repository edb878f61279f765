import type { Socket } from 'node:net';

/*
 * Several attempts can succeed at once (a LAN and a public candidate, two
 * birthday pairs, a hairpin path and a direct one), and a connection can die
 * just after it opened (through a NAT that answers with RST, the reset for
 * one of our earlier SYNs can still be on its way and kill the socket that
 * just got the peer's SYN). So the two sides agree explicitly, without
 * adding a round trip:
 * - the responder writes READY on every socket as soon as it connects, and
 *   keeps the one on which SELECT arrives;
 * - the initiator writes SELECT on one connected socket at a time and keeps
 *   it when READY arrives on it (proof the peer's end is open too); if that
 *   socket dies first, it selects the next one.
 * Both bytes cross at the same time, so both sides agree one one-way trip
 * after the connection opens. Nothing after these bytes is consumed.
 */
export const SELECT_BYTE = 0x01;
export const READY_BYTE = 0x02;
/** Resolves true when the first byte on `socket` is `expected`, false if it closes first or sends anything else. */
export function awaitByte(socket: Socket, expected: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      socket.off('readable', onReadable);
      socket.off('close', onClose);
      socket.off('error', onClose);
      resolve(ok);
    };
    const onReadable = () => {
      const b = socket.read(1) as Buffer | null;
      if (b === null) return;
      done(b[0] === expected);
    };
    const onClose = () => done(false);
    socket.on('readable', onReadable);
    socket.on('close', onClose);
    socket.on('error', onClose);
  });
}

export function sendByte(socket: Socket, byte: number): void {
  socket.write(Buffer.of(byte));
}
