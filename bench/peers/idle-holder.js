// Opens N connections to a server and holds them idle, answering its pings, so the server's memory
// per connection can be read from its RSS. ws:// URLs get WebSocket connections (node-ws answers
// pings by itself); tcp://host:port gets plain TCP connections for the TCP echo.
// Usage: node idle-holder.js URL N HOLD_SECONDS
// Prints "open K" once every connection is open (or has failed), then, after HOLD_SECONDS, one JSON
// line: how many opened, failed, were still open at the end, and how many pings arrived.
'use strict';
const net = require('net');
const WebSocket = require('/usr/share/nodejs/ws');

const [url, total, holdSeconds] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const kConcurrentOpens = 200; // a burst of 10,000 SYNs would overflow any listen backlog
let started = 0, opened = 0, failed = 0, closed = 0, pings = 0, inFlight = 0;
const sockets = [];
const begin = process.hrtime.bigint();
let openMs = 0;

function settled() {
  inFlight--;
  if (opened + failed === total) {
    openMs = Number(process.hrtime.bigint() - begin) / 1e6;
    process.stdout.write(`open ${opened}\n`);
    setTimeout(report, holdSeconds * 1000);
  } else {
    startMore();
  }
}

function openOne() {
  started++;
  inFlight++;
  let settledYet = false;
  const once = (ok) => {
    if (settledYet) { if (!ok) closed++; return; }
    settledYet = true;
    if (ok) opened++; else failed++;
    settled();
  };
  if (url.startsWith('tcp://')) {
    const [host, port] = url.slice(6).split(':');
    const s = net.connect({ host, port: Number(port) }, () => once(true));
    s.on('error', () => once(false));
    s.on('close', () => once(false));
    sockets.push(s);
  } else {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.on('open', () => once(true));
    ws.on('ping', () => { pings++; });
    ws.on('error', () => once(false));
    ws.on('close', () => once(false));
    sockets.push(ws);
  }
}

function startMore() {
  while (started < total && inFlight < kConcurrentOpens) openOne();
}

function report() {
  process.stdout.write(JSON.stringify({ opened, failed, closed, still_open: opened - closed, pings, open_ms: openMs }) + '\n');
  for (const s of sockets) (s.terminate ? s.terminate() : s.destroy());
  setTimeout(() => process.exit(0), 200);
}

startMore();
