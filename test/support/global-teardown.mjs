export default async function globalTeardown() {
  const temporal = globalThis.__temporal;
  if (temporal && temporal.exitCode === null) {
    await new Promise((resolve) => {
      temporal.once('exit', resolve);
      temporal.kill('SIGTERM');
    });
  }
  await globalThis.__embeddedPostgres?.stop();
}
