// A TLS echo server made with Node's own tls module, the peer of Sluice's TLS client in NodeInteropTest.
// Usage: node echo-server.js --cert FILE --key FILE [--ca FILE --require-cert] [--min V] [--max V] [--alpn a,b]
// Prints "listening PORT" once it accepts, then one JSON line about each secured connection; echoes what it
// receives; exits after its first connection has closed.
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
  cert: fs.readFileSync(args.cert),
  key: fs.readFileSync(args.key),
  minVersion: args.min || 'TLSv1.2',
  maxVersion: args.max || 'TLSv1.3',
};
if (args.ca) {
  options.ca = fs.readFileSync(args.ca);
}
if (args['require-cert']) {
  options.requestCert = true;
  options.rejectUnauthorized = true;
}
if (args.alpn) {
  options.ALPNProtocols = args.alpn.split(',');
}

const server = tls.createServer(options, (socket) => {
  const peer = socket.getPeerCertificate();
  console.log(JSON.stringify({
    protocol: socket.getProtocol(),
    cipher: socket.getCipher().standardName,
    alpn: socket.alpnProtocol || null,
    servername: socket.servername || null,
    authorized: socket.authorized,
    peer: peer && peer.subject ? peer.subject.CN : null,
  }));
  socket.on('error', (e) => console.error('socket error: ' + e.message));
  socket.on('close', () => server.close());
  socket.pipe(socket);
});
server.on('tlsClientError', (e) => {
  console.error('TLS client error: ' + e.message);
  server.close();
});
server.listen(0, '127.0.0.1', () => console.log('listening ' + server.address().port));
