// A CommonJS app without OpenTelemetry code, installed from the packed tarballs: started with
// `node --require @otel-top/register app.cjs`. Prints {"port": N}.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS app */
const http = require('node:http');

const server = http.createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.setHeader('content-length', Buffer.byteLength(`packed ${req.url}`));
  res.end(`packed ${req.url}`);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
