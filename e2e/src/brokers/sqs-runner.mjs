// Child-process runner for the SQS emulators used by the e2e suite.
//   node sqs-runner.mjs <fauxqs|local-aws-sqs> <package entry file> <region>
// Listens on 127.0.0.1 with an OS-chosen port, prints "LISTENING <port>",
// exits on SIGTERM/SIGINT or when stdin closes (the parent died).
import { pathToFileURL } from 'node:url';

const [kind, entry, region = 'us-east-1'] = process.argv.slice(2);
if (!kind || !entry) {
  console.error('usage: sqs-runner.mjs <fauxqs|local-aws-sqs> <entry file> [region]');
  process.exit(2);
}

const mod = await import(pathToFileURL(entry).href);
let close;
let port;
if (kind === 'fauxqs') {
  // startFauxqs() always binds 0.0.0.0, so use buildApp() and listen on loopback ourselves.
  // With no `host` option, queue URLs are built from the request Host header (127.0.0.1:PORT).
  const app = mod.buildApp({ logger: false, defaultRegion: region });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = app.server.address().port;
  close = () => app.close();
} else if (kind === 'local-aws-sqs') {
  const createSqsServer = mod.createSqsServer ?? mod.default?.createSqsServer;
  const server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    region,
    // Tests delete and recreate queues freely; real SQS makes you wait 60 s.
    emulateQueueCreationLifecycle: false,
  });
  port = server.address().port;
  close = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    });
} else {
  console.error(`unknown SQS emulator kind: ${kind}`);
  process.exit(2);
}

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  const force = setTimeout(() => process.exit(0), 2000);
  force.unref();
  try {
    await close();
  } finally {
    process.exit(0);
  }
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop);
process.stdin.on('error', stop);
process.stdin.resume();

console.log(`LISTENING ${port}`);
