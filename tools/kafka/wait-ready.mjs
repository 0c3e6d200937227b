// Waits until a Kafka broker answers a Metadata request listing at least `brokers` brokers (1
// unless given: cluster.sh asks each node for all three, which a KRaft cluster shows only once
// its controller quorum has a leader that registered them). Speaks the wire protocol directly
// (Metadata v4) so it needs no installed packages and can run before `npm ci`.
// Usage: node wait-ready.mjs host:port timeoutSeconds [brokers]
import net from 'node:net';

const [address = '127.0.0.1:9092', timeoutArg = '60', brokersArg = '1'] = process.argv.slice(2);
const [host, portText] = address.split(':');
const deadline = Date.now() + Number(timeoutArg) * 1000;

const METADATA_API_KEY = 3;
const METADATA_VERSION = 4;
const CORRELATION_ID = 7;
const CLIENT_ID = 'implant-trace-ready-probe';

function metadataRequest() {
  const clientId = Buffer.from(CLIENT_ID, 'utf8');
  const body = Buffer.alloc(4 + 2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let offset = 4;
  offset = body.writeInt16BE(METADATA_API_KEY, offset);
  offset = body.writeInt16BE(METADATA_VERSION, offset);
  offset = body.writeInt32BE(CORRELATION_ID, offset);
  offset = body.writeInt16BE(clientId.length, offset);
  offset += clientId.copy(body, offset);
  offset = body.writeInt32BE(-1, offset); // null topic array: metadata for all topics
  body.writeInt8(0, offset); // allow_auto_topic_creation = false
  body.writeInt32BE(body.length - 4, 0);
  return body;
}

function probeOnce() {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(portText) });
    let received = Buffer.alloc(0);
    const finish = (ready) => {
      socket.destroy();
      resolve(ready);
    };
    socket.setTimeout(2000, () => finish(false));
    socket.on('error', () => finish(false));
    socket.on('connect', () => socket.write(metadataRequest()));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      const correlationId = received.readInt32BE(4);
      const brokerCount = received.readInt32BE(12); // after size, correlation id, throttle
      finish(correlationId === CORRELATION_ID && brokerCount >= Number(brokersArg));
    });
  });
}

while (Date.now() < deadline) {
  if (await probeOnce()) process.exit(0);
  await new Promise((r) => setTimeout(r, 200));
}
console.error(
  `Kafka at ${address} did not answer a metadata request listing ${brokersArg} broker(s) within ${timeoutArg}s`,
);
process.exit(1);
