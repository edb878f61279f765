/*
 * Imported first by cli.ts, so that it runs before the other modules load.
 * By default a SIGUSR1 makes Node open its inspector (a debugger on
 * 127.0.0.1:9229 that runs any code it is sent); `bootstrap` and `listen`
 * take SIGUSR1 for a status line (`systemctl reload`), and one arriving
 * while the process is still starting must not do that either. This
 * handler does nothing; the commands add the one that prints.
 */
process.on('SIGUSR1', () => undefined);
