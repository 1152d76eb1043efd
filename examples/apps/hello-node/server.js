// The bpx demo app: a tiny HTTP server (its dependencies are only there to be captured).
const http = require('http');
const port = process.env.PORT || 8080;
http.createServer((req, res) => res.end('hello from a droplet staged by bpx\n')).listen(port);
