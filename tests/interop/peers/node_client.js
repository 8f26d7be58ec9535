// node-ws client for WsLab's interop tests: node node_client.js URL
// Offers subprotocol "chat", prints "open protocol P" ("-" for none), sends text (non-ASCII, 1 MiB) and
// binary, checks each echo, prints "echo ok", closes with 1000 and prints "closed CODE".
// Exits non-zero on any surprise.
'use strict';
const WebSocket = require('/usr/share/nodejs/ws');

const messages = [
  { data: 'grüße, 世界 🙂', binary: false },
  { data: Buffer.from([0x00, 0x01, 0xfe, 0xff]), binary: true },
  { data: 'n'.repeat(1024 * 1024), binary: false },
];
let next = 0;

const ws = new WebSocket(process.argv[2], ['chat']);
ws.on('open', () => {
  console.log(`open protocol ${ws.protocol || '-'}`);
  ws.send(messages[0].data, { binary: messages[0].binary });
});
ws.on('message', (data, isBinary) => {
  const expected = messages[next];
  if (isBinary !== expected.binary || !Buffer.from(data).equals(Buffer.from(expected.data))) {
    console.log(`mismatch for message ${next}`);
    process.exit(1);
  }
  next += 1;
  if (next < messages.length) {
    ws.send(messages[next].data, { binary: messages[next].binary });
  } else {
    console.log('echo ok');
    ws.close(1000, 'done');
  }
});
ws.on('close', (code) => console.log(`closed ${code}`));
ws.on('error', (error) => {
  console.log(`error ${error.message}`);
  process.exit(1);
});
