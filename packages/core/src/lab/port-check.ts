import net from 'node:net';

/** True when something already listens on host:port (we try to bind it ourselves). */
export function portInUse(host: string, port: number): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') resolve(true);
      else if (err.code === 'EACCES') reject(new Error(`no permission to bind ${host}:${port}`));
      else reject(err);
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(false)));
  });
}
