// A TLS client made with Node's own tls module, the peer of Sluice's TLS server in NodeInteropTest: sends a message,
// reads it echoed, then ends the connection.
// Usage: node client.js --port N --ca FILE --message TEXT [--servername HOST] [--min V] [--max V]
//                       [--cert FILE --key FILE] [--alpn a,b]
// Prints one JSON line about the secured connection, then {"echo": ...}; exits 0 once the echo is complete and the
// connection has closed, 1 on any error.
'use strict';
const fs = require('fs');
const tls = require('tls');

const args = {};
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '');
  const next = process.argv[i + 1];
  args[name] = next === undefined || next.startsWith('--') ? true : (i++, next);
}

const options = {
  host: '127.0.0.1',
  port: Number(args.port),
  ca: fs.readFileSync(args.ca),
  servername: args.servername || 'localhost',
  minVersion: args.min || 'TLSv1.2',
  maxVersion: args.max || 'TLSv1.3',
};
if (args.cert) {
  options.cert = fs.readFileSync(args.cert);
  options.key = fs.readFileSync(args.key);
}
if (args.alpn) {
  options.ALPNProtocols = args.alpn.split(',');
}

const message = String(args.message);
let received = '';
const socket = tls.connect(options, () => {
  const peer = socket.getPeerCertificate();
  console.log(JSON.stringify({
    protocol: socket.getProtocol(),
    cipher: socket.getCipher().standardName,
    alpn: socket.alpnProtocol || null,
    authorized: socket.authorized,
    peer: peer && peer.subject ? peer.subject.CN : null,
  }));
  socket.write(message);
});
socket.setEncoding('utf8');
socket.on('data', (data) => {
  received += data;
  if (received.length >= message.length) {
    console.log(JSON.stringify({ echo: received }));
    socket.end();
  }
});
socket.on('error', (e) => {
  console.error('error: ' + e.message);
  process.exitCode = 1;
});
socket.on('close', () => {
  if (received !== message) {
    process.exitCode = 1;
  }
});
