/**
 * Preloaded (`--import`) into a reference server perf-lab starts: the server runs detached in
 * its own session, so a Ctrl-C in the terminal reaches only the CLI (which then asks the server
 * once, with SIGTERM, to drain). When the CLI that owns the server dies without asking — kill -9,
 * a closed terminal — this asks the server to drain itself, so it is never orphaned.
 */
const owner = Number(process.env['PERF_LAB_SERVER_OWNER_PID']);
const CHECK_MS = 1000;

if (Number.isInteger(owner) && owner > 0) {
  const timer = setInterval(() => {
    try {
      process.kill(owner, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') return;
      clearInterval(timer);
      process.kill(process.pid, 'SIGTERM');
    }
  }, CHECK_MS);
  timer.unref();
}
