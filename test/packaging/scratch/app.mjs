// The ES module twin of app.cjs: started with `node --import @otel-top/register app.mjs`.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.setHeader('content-length', Buffer.byteLength(`packed ${req.url}`));
  res.end(`packed ${req.url}`);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));
